using Acms.Domain.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs.Dedup;

public sealed class DedupFunctions(JobTriggers triggers)
{
    private static readonly string Job = JobDefinitions.Dedup.Name;

    [Function(nameof(DedupTimer))]
    public Task DedupTimer([TimerTrigger("%DedupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        triggers.OnTimerAsync(Job, timer, cancellationToken);

    [Function(nameof(DedupRun))]
    public Task<IActionResult> DedupRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/dedup/run")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(Job, request, cancellationToken);
}
