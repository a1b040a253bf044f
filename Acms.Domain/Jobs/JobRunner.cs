using System.Diagnostics;
using Acms.Domain.Database;
using Acms.Domain.Jobs.Leases;
using Acms.Domain.Jobs.Pausing;
using Acms.Domain.Runs;
using Acms.Domain.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs;

/// <summary>
/// Runs any job for any trigger (timer, HTTP, CLI): one runner per job across every process, held by a lease row
/// (<see cref="JobLease"/>) whose heartbeat the run keeps fresh and which fences every batch; a ledger row per run; the
/// job's timeout and the caller's cancellation reach every query. A run whose process dies stops renewing its lease;
/// once the heartbeat is older than <c>Jobs:Lease:Timeout</c> the next run takes over and marks its row abandoned.
/// </summary>
public sealed class JobRunner(
    NpgsqlDataSource dataSource,
    JobCatalog catalog,
    IServiceScopeFactory scopes,
    DatabaseRetry retry,
    IOptions<JobLeaseOptions> leaseOptions,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    private static readonly string Host = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <exception cref="UnknownJobException">No job has that name.</exception>
    public Task<JobRunResult> RunAsync(string jobName, JobTrigger trigger, bool dryRun, CancellationToken cancellationToken) =>
        RunAsync(jobName, trigger, dryRun, RunOrigin.Now, cancellationToken);

    /// <summary>A run with its origin (past due, retry attempt) recorded in the ledger.</summary>
    /// <exception cref="UnknownJobException">No job has that name.</exception>
    public async Task<JobRunResult> RunAsync(string jobName, JobTrigger trigger, bool dryRun, RunOrigin origin, CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(jobName, out var registration))
        {
            throw new UnknownJobException(jobName, catalog.Names);
        }

        var job = registration.Definition.Name;
        var startedAt = time.GetUtcNow().UtcDateTime;
        var runId = Guid.CreateVersion7(startedAt);
        JobOptions options;
        using (var scope = scopes.CreateScope())
        {
            options = registration.ReadOptions(scope.ServiceProvider);
        }

        if (!options.Enabled && trigger == JobTrigger.Timer)
        {
            return await SkipAsync(job, runId, trigger, dryRun, origin, startedAt,
                $"disabled: {registration.Definition.OptionsPath}:Enabled is false", runningRunId: null, cancellationToken);
        }

        if (trigger == JobTrigger.Timer && await Db((c, ct) => JobPauses.FindAsync(c, job, ct), cancellationToken) is { } pause)
        {
            return await SkipAsync(job, runId, trigger, dryRun, origin, startedAt, pause.SkipReason, runningRunId: null, cancellationToken);
        }

        var stale = leaseOptions.Value.Timeout;
        var leaseStarted = Stopwatch.GetTimestamp();
        var lease = await Db((c, ct) => JobLease.TryAcquireAsync(c, job, runId, Host, startedAt, stale, ct), cancellationToken);
        JobTelemetry.LeaseWaited(job, Stopwatch.GetElapsedTime(leaseStarted), lease is not null);
        if (lease is null)
        {
            var holder = await Db((c, ct) => JobLease.FindHolderAsync(c, job, ct), cancellationToken);
            return await SkipAsync(job, runId, trigger, dryRun, origin, startedAt,
                $"already running{(holder is { } id ? $" (run {id})" : "")}", holder, cancellationToken);
        }

        try
        {
            // Holding the lease proves every other "running" row of this job lost its heartbeat: those runs are gone.
            var abandoned = await Db((c, ct) => JobRunLedger.AbandonOthersAsync(c, job, runId, startedAt, ct), cancellationToken);
            if (abandoned > 0)
            {
                logger.LogWarning("Job {Job}: marked {Count} earlier run(s) abandoned", job, abandoned);
            }

            using var telemetry = JobTelemetry.StartRun(job, runId, trigger, dryRun);
            var context = new JobContext(runId, trigger, dryRun, startedAt) { Lease = lease, Telemetry = telemetry, Pace = options.Pace };
            var running = new JobRunResult { Job = job, RunId = runId, Status = JobRunStatus.Running, Trigger = trigger, DryRun = dryRun, StartedAt = startedAt, Origin = origin };
            await Db((c, ct) => JobRunLedger.StartAsync(c, running, Host, ct), cancellationToken);
            logger.LogInformation("Job {Job} run {RunId} started by {Trigger}{DryRun}", job, runId, trigger, dryRun ? " (dry run)" : "");

            JobRunStatus status;
            string? error;
            await using (var progress = new JobProgressWriter(dataSource, context, time, logger))
            {
                context.BatchCommitted += progress.OnBatchCommitted;
                (status, error) = await ExecuteAsync(job, context, options.Timeout, cancellationToken);
                context.BatchCommitted -= progress.OnBatchCommitted;
            }

            var completedAt = time.GetUtcNow().UtcDateTime;
            var result = new JobRunResult
            {
                Job = job,
                RunId = runId,
                Status = status,
                Trigger = trigger,
                DryRun = dryRun,
                AffectedCount = context.AffectedCount,
                ExecutionTimeMs = Math.Round((completedAt - startedAt).TotalMilliseconds, 1),
                StartedAt = startedAt,
                CompletedAt = completedAt,
                Error = error,
                Details = context.Details,
                Origin = origin,
            };

            // The ledger is written even when the caller gave up: the run must not stay "running".
            result = await FinishAsync(result, context);
            telemetry.Finish(trigger, result.Status, result.AffectedCount, result.Error);

            if (result.Status == JobRunStatus.Succeeded)
            {
                logger.LogInformation("Job {Job} run {RunId} succeeded: {AffectedCount} affected in {ElapsedMs} ms",
                    job, runId, result.AffectedCount, result.ExecutionTimeMs);
            }
            else
            {
                logger.LogError("Job {Job} run {RunId} failed after {ElapsedMs} ms with {AffectedCount} affected: {Error}",
                    job, runId, result.ExecutionTimeMs, result.AffectedCount, result.Error);
            }

            return result;
        }
        finally
        {
            try
            {
                await Db((c, ct) => lease.ReleaseAsync(c, ct), CancellationToken.None);
            }
            catch (Exception ex) when (Transient.IsTransient(ex))
            {
                // The database stayed out of reach for the whole retry budget: the lease is freed by its heartbeat
                // going stale instead, which is what a killed process leaves too.
                logger.LogWarning("Job {Job} run {RunId}: could not release its lease ({Fault}); it expires with its heartbeat", job, runId, Transient.Describe(ex));
            }
        }
    }

    /// <summary>
    /// Records the outcome. When the database stays out of reach past the retry budget, the run is reported failed to its
    /// caller instead of throwing: its ledger row stays "running" until the next run of the job, holding the lease once
    /// the heartbeat is stale, marks it abandoned. Batches committed before the outage are kept either way.
    /// </summary>
    private async Task<JobRunResult> FinishAsync(JobRunResult result, JobContext context)
    {
        try
        {
            await Db((c, ct) => JobRunLedger.FinishAsync(c, result, context, Host, ct), CancellationToken.None);
            return result;
        }
        catch (Exception ex) when (Transient.IsTransient(ex))
        {
            logger.LogError("Job {Job} run {RunId}: its outcome ({Status}) could not be recorded: the database was unreachable for the retry budget ({Fault})",
                result.Job, result.RunId, result.Status, Transient.Describe(ex));
            var cause = result.Status == JobRunStatus.Succeeded ? "its work finished" : result.Error;
            return result with
            {
                Status = JobRunStatus.Failed,
                Error = $"{cause}; the outcome could not be recorded (database unreachable for the retry budget): the next run marks this run abandoned",
            };
        }
    }

    private Task<T> Db<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        retry.WithConnectionAsync(dataSource, work, cancellationToken);

    private Task<bool> Db(Func<NpgsqlConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        retry.WithConnectionAsync(dataSource, async (c, ct) =>
        {
            await work(c, ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Renews the lease every <c>HeartbeatInterval</c> while the job works between batches (a long read, an in-memory
    /// grouping). When another run has taken the lease, the job is cancelled at once rather than at its next batch.
    /// </summary>
    private async Task HeartbeatAsync(JobLease lease, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(leaseOptions.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await Db((c, ct) => lease.RenewAsync(c, null, time.GetUtcNow().UtcDateTime, ct), stop);
                }
                catch (LeaseLostException)
                {
                    await leaseLost.CancelAsync();
                    return;
                }
                catch (Exception ex) when (Transient.IsTransient(ex))
                {
                    // The retry budget ran out: the batches will meet the same fault and decide; keep beating.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run finished.
        }
    }

    private async Task<(JobRunStatus Status, string? Error)> ExecuteAsync(string job, JobContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var leaseLost = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token, leaseLost.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = context.Lease is { } lease ? HeartbeatAsync(lease, leaseLost, stopHeartbeat.Token) : Task.CompletedTask;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var instance = scope.ServiceProvider.GetRequiredKeyedService<IJob>(job);
            await instance.ExecuteAsync(context, linked.Token);
            return (JobRunStatus.Succeeded, null);
        }
        catch (Exception ex) when (ex is LeaseLostException || (IsCancellation(ex) && leaseLost.IsCancellationRequested))
        {
            return (JobRunStatus.Failed, "lease lost: another run took this job over after this run's heartbeat went stale; batches committed before that are kept");
        }
        catch (Exception ex) when (IsCancellation(ex) && timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (JobRunStatus.Failed, $"timed out after {timeout}; work committed before that is kept");
        }
        catch (Exception ex) when (IsCancellation(ex) && cancellationToken.IsCancellationRequested)
        {
            return (JobRunStatus.Failed, "cancelled by the host; work committed before that is kept");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job {Job} run {RunId} threw", job, context.RunId);
            return (JobRunStatus.Failed, JobFailure.Summary(ex, context.RunId));
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }
    }

    private static bool IsCancellation(Exception ex) =>
        ex is OperationCanceledException || ex is NpgsqlException { InnerException: TimeoutException or OperationCanceledException };

    private async Task<JobRunResult> SkipAsync(
        string job, Guid runId, JobTrigger trigger, bool dryRun, RunOrigin origin, DateTime startedAt,
        string reason, Guid? runningRunId, CancellationToken cancellationToken)
    {
        var result = new JobRunResult
        {
            Job = job,
            RunId = runId,
            Status = JobRunStatus.Skipped,
            Trigger = trigger,
            DryRun = dryRun,
            StartedAt = startedAt,
            CompletedAt = startedAt,
            Error = reason,
            RunningRunId = runningRunId,
            Origin = origin,
        };
        await Db((c, ct) => JobRunLedger.FinishAsync(c, result, progress: null, Host, ct), cancellationToken);
        JobTelemetry.Skipped(job, trigger, reason);
        logger.LogWarning("Job {Job} run {RunId} skipped: {Reason}", job, runId, reason);
        return result;
    }
}
