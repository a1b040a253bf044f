using Dapper;
using Npgsql;

namespace Acms.Domain.Jobs.Cleanup;

/// <summary>
/// Purges <c>job_runs</c> rows that started before the retention cut, with their <c>job_run_batches</c> records, in
/// batches of <c>BatchSize</c> runs, one lease-fenced transaction each (<see cref="JobBatches.ApplyAsync{T}"/>). Never
/// purged: a running row, each job's latest run and each job's latest real success (the status API and the health check
/// read them, however old).
/// </summary>
internal static class RunHistoryRetention
{
    private const string Purgeable = """
        r.started_at < @PurgeBefore
        AND r.status <> 'running'
        AND r.job_run_id <> (SELECT l.job_run_id FROM job_runs l WHERE l.job_name = r.job_name
                             ORDER BY l.started_at DESC, l.job_run_id DESC LIMIT 1)
        AND r.job_run_id IS DISTINCT FROM (SELECT s.job_run_id FROM job_runs s
                             WHERE s.job_name = r.job_name AND s.status = 'succeeded' AND NOT s.dry_run
                             ORDER BY s.started_at DESC, s.job_run_id DESC LIMIT 1)
        """;

    // Oldest first on ix_job_runs_started; SKIP LOCKED keeps two overlapping cleanups from waiting on each other. A run's
    // batch records go with it (their primary key leads with job_run_id).
    private const string PurgeSql = $"""
        WITH doomed AS (
            SELECT r.job_run_id FROM job_runs r
            WHERE {Purgeable}
            ORDER BY r.started_at
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
        ),
        runs AS (
            DELETE FROM job_runs j USING doomed d WHERE j.job_run_id = d.job_run_id RETURNING j.job_run_id
        ),
        batches AS (
            DELETE FROM job_run_batches b USING runs r WHERE b.job_run_id = r.job_run_id RETURNING 1
        )
        SELECT (SELECT count(*) FROM runs) AS Runs, (SELECT count(*) FROM batches) AS Batches
        """;

    private const string CountSql = $"SELECT count(*) FROM job_runs r WHERE {Purgeable}";

    /// <returns>The runs and batch records purged (recorded as 0 rows: the cleanup run's affected count is memories).</returns>
    public static async Task<(long Runs, long Batches)> PurgeAsync(
        JobBatches jobBatches, JobContext context, DateTime purgeBefore, int batchSize, CancellationToken cancellationToken)
    {
        // A run row another session held locked at that moment (SKIP LOCKED) is left for the next cleanup.
        var due = await jobBatches.ReadAsync((connection, ct) => CountAsync(connection, purgeBefore, ct), cancellationToken);
        if (due == 0)
        {
            return (0, 0);
        }

        var purged = await jobBatches.ApplyUntilShortAsync(context, (connection, tx, ct) =>
                connection.QuerySingleAsync<(long Runs, long Batches)>(new CommandDefinition(
                    PurgeSql, new { PurgeBefore = purgeBefore, BatchSize = batchSize }, tx, cancellationToken: ct)),
            p => p.Runs, _ => 0, batchSize, cancellationToken);
        return (purged.Sum(p => p.Runs), purged.Sum(p => p.Batches));
    }

    public static async Task<long> CountAsync(NpgsqlConnection connection, DateTime purgeBefore, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, new { PurgeBefore = purgeBefore }, cancellationToken: cancellationToken));
}
