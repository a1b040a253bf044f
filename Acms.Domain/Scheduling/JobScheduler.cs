using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Scheduling;

/// <summary>
/// The standalone scheduler (the seed's <c>python -m src.jobs.scheduler</c>): every enabled job on its own CRON, through
/// the same <see cref="JobRunner"/> and lock as the Functions timers, so both can run side by side without double runs.
/// At start each job catches up once for occurrences missed while the scheduler was down (<see cref="MissedRuns"/>);
/// failed runs are retried by <see cref="ScheduledRunner"/>.
/// </summary>
public sealed class JobScheduler(
    JobCatalog catalog, ScheduledRunner runner, NpgsqlDataSource dataSource, IServiceProvider services, TimeProvider time, ILogger<JobScheduler> logger)
{
    /// <summary>Runs until cancelled. Each job has its own loop, so a long run never delays another job.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(catalog.All.Select(registration => RunJobLoopAsync(registration, cancellationToken)));

    private async Task RunJobLoopAsync(JobRegistration registration, CancellationToken cancellationToken)
    {
        var job = registration.Definition.Name;
        try
        {
            var schedule = registration.ReadOptions(services).Schedule;
            if (await MissedRuns.LatestMissedAsync(dataSource, job, schedule, time.GetUtcNow().UtcDateTime, cancellationToken) is { } missed)
            {
                logger.LogWarning("Job {Job} missed its run at {Missed:u} (and any before it) while the scheduler was down; running it once now", job, missed);
                await runner.RunAsync(job, pastDue: true, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job {Job}: could not check for or catch up a missed run", job);
        }

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
                await runner.RunAsync(job, pastDue: false, cancellationToken);
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
