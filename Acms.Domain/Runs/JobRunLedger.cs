using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Dapper;
using Npgsql;

namespace Acms.Domain.Runs;

/// <summary>Writes the <c>job_runs</c> ledger. Every write is one statement on the caller's lock connection.</summary>
internal static class JobRunLedger
{
    /// <summary>Marks this job's other "running" rows abandoned: called by the run that holds the lease, so they cannot be running.</summary>
    public static Task<int> AbandonOthersAsync(NpgsqlConnection connection, string job, Guid holder, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job_runs
            SET status = 'abandoned',
                completed_at = @Now,
                error_summary = 'The process running this job stopped renewing its lease before it finished; marked by the next run.'
            WHERE job_name = @Job AND status = 'running' AND job_run_id <> @Holder
            """, new { Job = job, Holder = holder, Now = now }, cancellationToken: ct));

    /// <summary>
    /// Marks "running" rows of any job abandoned when no fresh lease holds them (their process stopped): run when a
    /// host starts, so a restart leaves nothing "running" that is not. It takes no lock on the lease rows: a sweep held
    /// up behind a lock on <c>job_runs</c> would otherwise hold every lease row and turn every new run away as "held".
    /// A live run whose one batch outlasts the lease timeout is swept too; its next batch then finds the lease lost.
    /// </summary>
    public static Task<int> AbandonUnleasedAsync(NpgsqlConnection connection, DateTime now, TimeSpan stale, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE job_runs r
            SET status = 'abandoned',
                completed_at = @Now,
                error_summary = 'The process running this job stopped renewing its lease before it finished.'
            WHERE r.status = 'running'
              AND NOT EXISTS (
                  SELECT 1 FROM job_leases l
                  WHERE l.job_name = r.job_name AND l.holder_run_id = r.job_run_id AND l.heartbeat_at >= @Now - @Stale)
            """, new { Now = now, Stale = stale }, cancellationToken: ct));

    public static Task StartAsync(NpgsqlConnection connection, JobRunResult run, string host, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, dry_run, started_at, host, past_due, attempt, retry_of)
            VALUES (@RunId, @Job, @Trigger, 'running', @DryRun, @StartedAt, @Host, @PastDue, @Attempt, @RetryOf)
            """, new { run.RunId, run.Job, Trigger = Name(run.Trigger), run.DryRun, run.StartedAt, Host = host, run.PastDue, run.Attempt, run.RetryOf }, cancellationToken: ct));

    /// <summary>Closes a running row, or inserts a finished one (skipped runs never had a running row).</summary>
    public static Task FinishAsync(NpgsqlConnection connection, JobRunResult run, JobContext? progress, string host, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, dry_run, started_at, completed_at,
                                  input_count, output_count, error_count, affected_count, execution_time_ms,
                                  error_summary, host, result, progress_rows, progress_batches, past_due, attempt, retry_of)
            VALUES (@RunId, @Job, @Trigger, @Status, @DryRun, @StartedAt, @CompletedAt,
                    @InputCount, @OutputCount, @ErrorCount, @AffectedCount, @ExecutionTimeMs,
                    @Error, @Host, CAST(@Result AS jsonb), @AffectedCount, @Batches, @PastDue, @Attempt, @RetryOf)
            ON CONFLICT (job_run_id) DO UPDATE SET
                status = EXCLUDED.status,
                completed_at = EXCLUDED.completed_at,
                input_count = EXCLUDED.input_count,
                output_count = EXCLUDED.output_count,
                error_count = EXCLUDED.error_count,
                affected_count = EXCLUDED.affected_count,
                execution_time_ms = EXCLUDED.execution_time_ms,
                error_summary = EXCLUDED.error_summary,
                result = EXCLUDED.result,
                progress_rows = EXCLUDED.progress_rows,
                progress_batches = EXCLUDED.progress_batches
            """, new
        {
            run.RunId,
            run.Job,
            Trigger = Name(run.Trigger),
            Status = Name(run.Status),
            run.DryRun,
            run.StartedAt,
            run.CompletedAt,
            InputCount = progress?.InputCount ?? 0,
            OutputCount = progress?.OutputCount ?? 0,
            ErrorCount = progress?.ErrorCount ?? 0,
            Batches = progress?.Batches ?? 0,
            run.AffectedCount,
            run.ExecutionTimeMs,
            run.Error,
            Host = host,
            Result = Json.Serialize(run),
            run.PastDue,
            run.Attempt,
            run.RetryOf,
        }, cancellationToken: ct));

    public static string Name(JobTrigger trigger) => trigger.ToString().ToLowerInvariant();

    public static string Name(JobRunStatus status) => status.ToString().ToLowerInvariant();
}
