using Acms.Domain.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs.Cleanup;

public sealed class CleanupFunctions(JobTriggers triggers)
{
    private static readonly string Job = JobDefinitions.Cleanup.Name;

    [Function(nameof(CleanupTimer))]
    public Task CleanupTimer([TimerTrigger("%CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        triggers.OnTimerAsync(Job, timer, cancellationToken);

    [Function(nameof(CleanupRun))]
    public Task<IActionResult> CleanupRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/cleanup/run")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(Job, request, cancellationToken);
}
