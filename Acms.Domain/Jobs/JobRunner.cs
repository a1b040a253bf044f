using Acms.Domain.Jobs.Pausing;
using Acms.Domain.Runs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Jobs;

/// <summary>
/// Runs any job for any trigger (timer, HTTP, CLI): one runner per job across every process, held by a PostgreSQL
/// advisory lock on a dedicated connection; a ledger row per run; the job's timeout and the caller's cancellation
/// reach every query. A process that dies releases the lock with its connection, and the next run marks its row abandoned.
/// </summary>
public sealed class JobRunner(
    NpgsqlDataSource dataSource,
    JobCatalog catalog,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    private static readonly string Host = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <exception cref="UnknownJobException">No job has that name.</exception>
    public async Task<JobRunResult> RunAsync(string jobName, JobTrigger trigger, bool dryRun, CancellationToken cancellationToken)
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

        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);

        if (!options.Enabled && trigger == JobTrigger.Timer)
        {
            return await SkipAsync(lockConnection, job, runId, trigger, dryRun, startedAt,
                $"disabled: {registration.Definition.OptionsPath}:Enabled is false", runningRunId: null, cancellationToken);
        }

        if (trigger == JobTrigger.Timer && await JobPauses.FindAsync(lockConnection, job, cancellationToken) is { } pause)
        {
            return await SkipAsync(lockConnection, job, runId, trigger, dryRun, startedAt, pause.SkipReason, runningRunId: null, cancellationToken);
        }

        var acquired = await lockConnection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_lock(@Class, hashtext(@Job))", new { Class = JobLocks.JobLockClass, Job = job }, cancellationToken: cancellationToken));
        if (!acquired)
        {
            var running = await JobRunLedger.FindRunningAsync(lockConnection, job, cancellationToken);
            return await SkipAsync(lockConnection, job, runId, trigger, dryRun, startedAt,
                $"already running{(running is { } id ? $" (run {id})" : "")}", running, cancellationToken);
        }

        try
        {
            var abandoned = await JobRunLedger.AbandonStaleAsync(lockConnection, job, startedAt, cancellationToken);
            if (abandoned > 0)
            {
                logger.LogWarning("Job {Job}: marked {Count} earlier run(s) abandoned", job, abandoned);
            }

            var context = new JobContext(runId, trigger, dryRun, startedAt);
            var running = new JobRunResult { Job = job, RunId = runId, Status = JobRunStatus.Running, Trigger = trigger, DryRun = dryRun, StartedAt = startedAt };
            await JobRunLedger.StartAsync(lockConnection, running, Host, cancellationToken);
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
            };

            // The ledger is written even when the caller gave up: the run must not stay "running".
            await JobRunLedger.FinishAsync(lockConnection, result, context, Host, CancellationToken.None);

            if (status == JobRunStatus.Succeeded)
            {
                logger.LogInformation("Job {Job} run {RunId} succeeded: {AffectedCount} affected in {ElapsedMs} ms",
                    job, runId, result.AffectedCount, result.ExecutionTimeMs);
            }
            else
            {
                logger.LogError("Job {Job} run {RunId} failed after {ElapsedMs} ms with {AffectedCount} affected: {Error}",
                    job, runId, result.ExecutionTimeMs, result.AffectedCount, error);
            }

            return result;
        }
        finally
        {
            await lockConnection.ExecuteAsync("SELECT pg_advisory_unlock(@Class, hashtext(@Job))", new { Class = JobLocks.JobLockClass, Job = job });
        }
    }

    private async Task<(JobRunStatus Status, string? Error)> ExecuteAsync(string job, JobContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var instance = scope.ServiceProvider.GetRequiredKeyedService<IJob>(job);
            await instance.ExecuteAsync(context, linked.Token);
            return (JobRunStatus.Succeeded, null);
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
            return (JobRunStatus.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static bool IsCancellation(Exception ex) =>
        ex is OperationCanceledException || ex is NpgsqlException { InnerException: TimeoutException or OperationCanceledException };

    private async Task<JobRunResult> SkipAsync(
        NpgsqlConnection connection, string job, Guid runId, JobTrigger trigger, bool dryRun, DateTime startedAt,
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
        };
        await JobRunLedger.FinishAsync(connection, result, progress: null, Host, cancellationToken);
        logger.LogWarning("Job {Job} run {RunId} skipped: {Reason}", job, runId, reason);
        return result;
    }
}

public sealed class UnknownJobException(string job, IReadOnlyList<string> known)
    : ArgumentException($"Unknown job '{job}'. Known jobs: {string.Join(", ", known)}.")
{
    public string Job { get; } = job;
}
