using Dapper;
using Npgsql;

namespace Acms.EndToEnd.Dashboard;

/// <summary>What the tests read back from the database after a click: the run ledger, pauses and decayed memories.</summary>
public static class Ledger
{
    public sealed record Run(Guid JobRunId, string JobName, string Trigger, string Status, bool DryRun, DateTime StartedAt, long AffectedCount, string? ErrorSummary);

    public static async Task<Run?> FindAsync(NpgsqlDataSource db, Guid runId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Run>(
            """
            SELECT job_run_id AS JobRunId, job_name AS JobName, trigger AS Trigger, status AS Status, dry_run AS DryRun,
                   started_at AS StartedAt, affected_count AS AffectedCount, error_summary AS ErrorSummary
            FROM job_runs WHERE job_run_id = @runId
            """, new { runId });
    }

    /// <summary>The newest run of each job.</summary>
    public static async Task<IReadOnlyList<Run>> LatestAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Run>(
            """
            SELECT DISTINCT ON (job_name) job_run_id AS JobRunId, job_name AS JobName, trigger AS Trigger, status AS Status, dry_run AS DryRun,
                   started_at AS StartedAt, affected_count AS AffectedCount, error_summary AS ErrorSummary
            FROM job_runs ORDER BY job_name, started_at DESC, job_run_id DESC
            """)).AsList();
    }

    /// <summary>Runs of a job since a moment, oldest first.</summary>
    public static async Task<IReadOnlyList<Run>> SinceAsync(NpgsqlDataSource db, string job, DateTime since)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Run>(
            """
            SELECT job_run_id AS JobRunId, job_name AS JobName, trigger AS Trigger, status AS Status, dry_run AS DryRun,
                   started_at AS StartedAt, affected_count AS AffectedCount, error_summary AS ErrorSummary
            FROM job_runs WHERE job_name = @job AND started_at >= @since ORDER BY started_at
            """, new { job, since })).AsList();
    }

    /// <summary>Waits until a run of the job since the moment matches, or fails after the timeout.</summary>
    public static async Task<Run> WaitForAsync(NpgsqlDataSource db, string job, DateTime since, Func<Run, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = (await SinceAsync(db, job, since)).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("; ", (await SinceAsync(db, job, since)).Select(r => $"{r.Trigger} {r.Status} {r.ErrorSummary}"));
                throw new Xunit.Sdk.XunitException($"No {job} run {what} within {timeout.TotalSeconds} s; runs since: [{seen}]");
            }

            await Task.Delay(250);
        }
    }

    public static async Task<Dictionary<Guid, DateTime?>> DecayStampsAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<(Guid Id, DateTime? At)>("SELECT memory_id, last_decayed_at FROM memory_items"))
            .ToDictionary(r => r.Id, r => r.At);
    }

    public sealed record Pause(string PausedBy, string? Reason);

    public static async Task<Pause?> PauseAsync(NpgsqlDataSource db, string job)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Pause>(
            "SELECT paused_by AS PausedBy, reason AS Reason FROM job_pauses WHERE job_name = @job", new { job });
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, object? parameters = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value: {sql}");
    }
}
