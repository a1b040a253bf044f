using Acms.Domain.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs.TopicExtraction;

public sealed class TopicExtractionFunctions(JobTriggers triggers)
{
    private static readonly string Job = JobDefinitions.TopicExtraction.Name;

    [Function(nameof(TopicExtractionTimer))]
    public Task TopicExtractionTimer([TimerTrigger("%TopicExtractionSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        triggers.OnTimerAsync(Job, timer, cancellationToken);

    [Function(nameof(TopicExtractionRun))]
    public Task<IActionResult> TopicExtractionRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/topic_extraction/run")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(Job, request, cancellationToken);
}
