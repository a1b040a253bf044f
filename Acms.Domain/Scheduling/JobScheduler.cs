using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acms.Domain.Scheduling;

/// <summary>
/// The standalone scheduler (the seed's <c>python -m src.jobs.scheduler</c>): every enabled job on its own CRON, through
/// the same <see cref="JobRunner"/> and lock as the Functions timers, so both can run side by side without double runs.
/// </summary>
public sealed class JobScheduler(JobCatalog catalog, JobRunner runner, IServiceProvider services, TimeProvider time, ILogger<JobScheduler> logger)
{
    /// <summary>Runs until cancelled. Each job has its own loop, so a long run never delays another job.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(catalog.All.Select(registration => RunJobLoopAsync(registration, cancellationToken)));

    private async Task RunJobLoopAsync(JobRegistration registration, CancellationToken cancellationToken)
    {
        var job = registration.Definition.Name;
        while (!cancellationToken.IsCancellationRequested)
        {
            var options = registration.ReadOptions(services);
            var now = time.GetUtcNow().UtcDateTime;
            if (JobSchedule.NextAfter(options.Schedule, now) is not { } next)
            {
                logger.LogError("Job {Job} has no next occurrence for schedule {Schedule}; not scheduling it", job, options.Schedule);
                return;
            }

            logger.LogInformation("Job {Job} next runs at {NextRun:u}", job, next);
            try
            {
                await Task.Delay(next - now, time, cancellationToken);
                await runner.RunAsync(job, JobTrigger.Timer, dryRun: false, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database outage must not end the scheduler: log, and wait for the next occurrence.
                logger.LogError(ex, "Job {Job} could not be run by the scheduler", job);
            }
        }
    }
}
