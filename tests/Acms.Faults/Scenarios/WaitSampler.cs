using Dapper;
using Npgsql;

namespace Acms.Faults.Scenarios;

/// <summary>
/// What the writer's backends wait on while the job runs: <c>pg_stat_activity</c> sampled every few milliseconds, the
/// wait events of the writer's active statements counted. Tells a lock wait (<c>Lock:transactionid</c>, the job holding
/// a row the API touches) from WAL or CPU contention (<c>LWLock:WALWrite</c>, <c>IO:WALSync</c>, no wait event at all).
/// </summary>
public static class WaitSampler
{
    private const string Sql = """
        SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu') FROM pg_stat_activity
        WHERE application_name = @app AND state = 'active' AND pid <> pg_backend_pid()
        """;

    public static async Task<Dictionary<string, int>> SampleAsync(string connectionString, string application, CancellationToken stop)
    {
        var counts = new Dictionary<string, int>();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "acms-fault-sampler" }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            foreach (var wait in await connection.QueryAsync<string>(Sql, new { app = application }))
            {
                counts[wait] = counts.GetValueOrDefault(wait) + 1;
            }

            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return counts;
    }

    public static string Describe(Dictionary<string, int> counts) =>
        counts.Count == 0 ? "none seen" : string.Join(", ", counts.OrderByDescending(c => c.Value).Take(5).Select(c => $"{c.Key} {c.Value}"));
}
