using Acms.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace Acms.Domain.Scheduling;

/// <summary>
/// A scheduled run (Functions timer or <c>acms scheduler</c>) with its retry policy: a failed try is retried up to
/// <c>Jobs:&lt;Job&gt;:MaxAttempts</c> tries in all, waiting <c>RetryDelay</c> and then three times longer each time
/// (defaults: 3 tries, after 5 and 15 minutes). Each try is its own ledger row; a retry carries <c>attempt</c> and
/// <c>retry_of</c> (the first try's id). A skipped run (already running, disabled) is not retried.
/// </summary>
public sealed class ScheduledRunner(JobRunner runner, JobCatalog catalog, IServiceProvider services, TimeProvider time, ILogger<ScheduledRunner> logger)
{
    public async Task<JobRunResult> RunAsync(string job, bool pastDue, CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(job, out var registration))
        {
            throw new UnknownJobException(job, catalog.Names);
        }

        var first = await runner.RunAsync(job, JobTrigger.Timer, dryRun: false, new RunOrigin(pastDue), cancellationToken);
        var last = first;
        var options = registration.ReadOptions(services);
        for (var attempt = 2; last.Status == JobRunStatus.Failed && attempt <= options.MaxAttempts; attempt++)
        {
            var delay = options.DelayBefore(attempt);
            logger.LogWarning("Job {Job} run {RunId} failed; try {Attempt} of {MaxAttempts} in {Delay}", job, last.RunId, attempt, options.MaxAttempts, delay);
            await Task.Delay(delay, time, cancellationToken);
            last = await runner.RunAsync(job, JobTrigger.Timer, dryRun: false, new RunOrigin(pastDue, attempt, first.RunId), cancellationToken);
        }

        return last;
    }
}
