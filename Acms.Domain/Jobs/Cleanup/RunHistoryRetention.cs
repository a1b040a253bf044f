using Acms.Domain.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Jobs.Cleanup;

/// <summary>
/// Purges <c>job_runs</c> rows that started before the retention cut, in batches of <c>BatchSize</c>, one transaction
/// each. Never purged: a running row, each job's latest run and each job's latest real success (the status API and the
/// health check read them, however old).
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

    // Oldest first on ix_job_runs_started; SKIP LOCKED keeps two overlapping cleanups from waiting on each other.
    private const string PurgeSql = $"""
        WITH doomed AS (
            SELECT r.job_run_id FROM job_runs r
            WHERE {Purgeable}
            ORDER BY r.started_at
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
        )
        DELETE FROM job_runs j USING doomed d WHERE j.job_run_id = d.job_run_id
        """;

    private const string CountSql = $"SELECT count(*) FROM job_runs r WHERE {Purgeable}";

    public static async Task<long> PurgeAsync(
        NpgsqlDataSource dataSource, DateTime purgeBefore, int batchSize, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var purged = await Transient.RetryAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return await connection.ExecuteAsync(new CommandDefinition(PurgeSql, new { PurgeBefore = purgeBefore, BatchSize = batchSize }, cancellationToken: ct));
            }, time, logger, cancellationToken);
            if (purged == 0)
            {
                return total;
            }

            total += purged;
        }
    }

    public static async Task<long> CountAsync(NpgsqlConnection connection, DateTime purgeBefore, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, new { PurgeBefore = purgeBefore }, cancellationToken: cancellationToken));
}
