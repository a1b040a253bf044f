using Acms.Bench.Cases;
using Dapper;
using Npgsql;

namespace Acms.Faults;

/// <summary>
/// What a faulted database is held to: the same fingerprint as one clean run on a twin (every memory's row — id,
/// scores, privacy, counts —, outcomes, the archive without its run ids, topic extractions), and invariants that hold
/// whatever happened: nothing lost, nothing left "running", no two runs of a job applying batches at once.
/// </summary>
public static class EndState
{
    public static Task<string> FingerprintAsync(NpgsqlDataSource db, CancellationToken ct) => Fingerprint.OfTablesAsync(db, ct,
        ("memory_items", "SELECT m AS r FROM memory_items m"),
        ("outcomes", "SELECT o AS r FROM outcomes o"),
        ("memory_items_archive", CleanupCase.ArchiveRows("memory_items_archive")),
        ("outcomes_archive", CleanupCase.ArchiveRows("outcomes_archive")),
        ("topic_extractions", "SELECT (to_jsonb(t) - 'id' - 'created_at')::text AS r FROM topic_extractions t"));

    /// <summary>The invariants broken, as sentences (empty when all hold).</summary>
    public static async Task<List<string>> ViolationsAsync(NpgsqlDataSource db, long initialMemories, CancellationToken ct)
    {
        var violations = new List<string>();
        await using var c = await db.OpenConnectionAsync(ct);
        var running = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM job_runs WHERE status = 'running'", cancellationToken: ct));
        if (running > 0)
        {
            violations.Add($"{running} job_runs row(s) left running");
        }

        var (live, archived, distinctArchived, both) = await c.QuerySingleAsync<(long, long, long, long)>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM memory_items),
                   (SELECT count(*) FROM memory_items_archive),
                   (SELECT count(DISTINCT memory_id) FROM memory_items_archive),
                   (SELECT count(*) FROM memory_items m WHERE EXISTS (SELECT 1 FROM memory_items_archive a WHERE a.memory_id = m.memory_id))
            """, cancellationToken: ct));
        if (live + archived != initialMemories || distinctArchived != archived || both != 0)
        {
            violations.Add($"live {live} + archived {archived} ≠ initial {initialMemories} (distinct archived {distinctArchived}, both live and archived {both})");
        }

        var overlaps = await OverlapsAsync(c, ct);
        if (overlaps > 0)
        {
            violations.Add($"{overlaps} pair(s) of runs applied batches at the same time");
        }

        return violations;
    }

    /// <summary>
    /// Pairs of runs of one job whose batch commits interleave. Ordered by the batch transactions' ids (xmin), not by
    /// the recorded time: the suite pins the jobs' clock, and a transaction id is assigned at the batch's first write,
    /// the lease renewal, so two runs applying batches at once show interleaved ids.
    /// </summary>
    public static Task<long> OverlapsAsync(NpgsqlConnection c, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH spans AS (
                SELECT r.job_name, b.job_run_id, min(b.xmin::text::bigint) AS first_xid, max(b.xmin::text::bigint) AS last_xid
                FROM job_run_batches b JOIN job_runs r ON r.job_run_id = b.job_run_id
                GROUP BY r.job_name, b.job_run_id
            )
            SELECT count(*) FROM spans a JOIN spans b
              ON a.job_name = b.job_name AND a.job_run_id < b.job_run_id
             AND a.first_xid <= b.last_xid AND b.first_xid <= a.last_xid
            """, cancellationToken: ct));

    public static Task<long> BatchRecordsAsync(NpgsqlDataSource db, CancellationToken ct) => ScalarAsync(db, "SELECT count(*) FROM job_run_batches", ct);

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>
    /// The suite pins the jobs' clock to the dataset's "now", so a dead holder's heartbeat never ages by itself: this
    /// moves it back past any lease timeout, which is what the wall clock does once <c>Jobs:Lease:Timeout</c> has passed.
    /// Only called when the holder's process is dead or its run has returned.
    /// </summary>
    public static async Task AgeLeaseAsync(NpgsqlDataSource db, string job, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_leases SET heartbeat_at = heartbeat_at - interval '1 day' WHERE job_name = @job AND heartbeat_at IS NOT NULL",
            new { job }, cancellationToken: ct));
    }
}
