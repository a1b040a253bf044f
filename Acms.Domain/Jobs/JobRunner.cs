using System.Diagnostics;
using Acms.Domain.Runs;
using Acms.Domain.Telemetry;
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

        var lockStarted = Stopwatch.GetTimestamp();
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);

        if (!options.Enabled && trigger == JobTrigger.Timer)
        {
            return await SkipAsync(lockConnection, job, runId, trigger, dryRun, origin, startedAt,
                $"disabled: {registration.Definition.OptionsPath}:Enabled is false", runningRunId: null, cancellationToken);
        }

        var acquired = await lockConnection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_lock(@Class, hashtext(@Job))", new { Class = JobLocks.JobLockClass, Job = job }, cancellationToken: cancellationToken));
        JobTelemetry.LockWaited(job, Stopwatch.GetElapsedTime(lockStarted), acquired);
        if (!acquired)
        {
            var running = await JobRunLedger.FindRunningAsync(lockConnection, job, cancellationToken);
            return await SkipAsync(lockConnection, job, runId, trigger, dryRun, origin, startedAt,
                $"already running{(running is { } id ? $" (run {id})" : "")}", running, cancellationToken);
        }

        try
        {
            var abandoned = await JobRunLedger.AbandonStaleAsync(lockConnection, job, startedAt, cancellationToken);
            if (abandoned > 0)
            {
                logger.LogWarning("Job {Job}: marked {Count} earlier run(s) abandoned", job, abandoned);
            }

            using var telemetry = JobTelemetry.StartRun(job, runId, trigger, dryRun);
            var context = new JobContext(runId, trigger, dryRun, startedAt) { Telemetry = telemetry };
            var running = new JobRunResult { Job = job, RunId = runId, Status = JobRunStatus.Running, Trigger = trigger, DryRun = dryRun, StartedAt = startedAt, Origin = origin };
            await JobRunLedger.StartAsync(lockConnection, running, Host, cancellationToken);
            logger.LogInformation("Job {Job} run {RunId} started by {Trigger}{DryRun}", job, runId, trigger, dryRun ? " (dry run)" : "");

            var (status, error) = await ExecuteAsync(job, context, options.Timeout, cancellationToken);

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
            await JobRunLedger.FinishAsync(lockConnection, result, context, Host, CancellationToken.None);
            telemetry.Finish(trigger, status, result.AffectedCount, error);

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
        NpgsqlConnection connection, string job, Guid runId, JobTrigger trigger, bool dryRun, RunOrigin origin, DateTime startedAt,
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
        await JobRunLedger.FinishAsync(connection, result, progress: null, Host, cancellationToken);
        JobTelemetry.Skipped(job, trigger, reason);
        logger.LogWarning("Job {Job} run {RunId} skipped: {Reason}", job, runId, reason);
        return result;
    }
}

public sealed class UnknownJobException(string job, IReadOnlyList<string> known)
    : ArgumentException($"Unknown job '{job}'. Known jobs: {string.Join(", ", known)}.")
{
    public string Job { get; } = job;
}
