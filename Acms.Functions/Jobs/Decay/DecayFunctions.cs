using Acms.Domain.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs.Decay;

public sealed class DecayFunctions(JobTriggers triggers)
{
    private static readonly string Job = JobDefinitions.Decay.Name;

    [Function(nameof(DecayTimer))]
    public Task DecayTimer([TimerTrigger("%DecaySchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        triggers.OnTimerAsync(Job, timer, cancellationToken);

    [Function(nameof(DecayRun))]
    public Task<IActionResult> DecayRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/decay/run")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(Job, request, cancellationToken);
}
