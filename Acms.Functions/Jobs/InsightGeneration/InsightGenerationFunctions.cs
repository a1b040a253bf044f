using Acms.Domain.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs.InsightGeneration;

public sealed class InsightGenerationFunctions(JobTriggers triggers)
{
    private static readonly string Job = JobDefinitions.InsightGeneration.Name;

    [Function(nameof(InsightGenerationTimer))]
    public Task InsightGenerationTimer([TimerTrigger("%InsightGenerationSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        triggers.OnTimerAsync(Job, timer, cancellationToken);

    [Function(nameof(InsightGenerationRun))]
    public Task<IActionResult> InsightGenerationRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/insight_generation/run")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(Job, request, cancellationToken);
}
