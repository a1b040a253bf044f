using Acms.Domain.Jobs;
using Dapper;
using Npgsql;

namespace Acms.Domain.Scheduling;

/// <summary>
/// The scheduler's misfire rule, like the Functions timer's past-due run, Quartz's "fire once now" and Hangfire's default:
/// when occurrences passed since the job's last scheduled run (the scheduler was down), it runs once at start, marked
/// past due, however many were missed. A job that never had a scheduled run has nothing to catch up.
/// </summary>
public static class MissedRuns
{
    /// <summary>The latest missed occurrence, or null when none was missed.</summary>
    public static async Task<DateTime?> LatestMissedAsync(NpgsqlDataSource dataSource, string job, string schedule, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var lastScheduled = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("""
            SELECT started_at FROM job_runs
            WHERE job_name = @Job AND trigger = 'timer'
            ORDER BY started_at DESC
            LIMIT 1
            """, new { Job = job }, cancellationToken: cancellationToken));
        return lastScheduled is { } since && JobSchedule.Between(schedule, DateTime.SpecifyKind(since, DateTimeKind.Utc), now).LastOrDefault() is var missed && missed != default
            ? missed
            : null;
    }
}
