using Acms.Domain.Archive;
using Acms.Domain.Jobs.Cleanup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Bench.Cases;

/// <summary>
/// Floor: one statement that archives every candidate memory and its outcomes (same columns, row_data, reason, time)
/// and deletes the memories (their outcomes go by the cascade). The archive retention purge has nothing to purge on a
/// fresh dataset, so the floor leaves it out.
/// </summary>
public sealed class CleanupCase : IBenchCase
{
    public string Job => "cleanup";

    public string? Floor => "one statement: WITH doomed (the rule) → INSERT memory_items_archive + outcomes_archive → DELETE memory_items (outcomes by cascade)";

    public Target Target { get; } = new(MaxRatio: 1.25);

    private const string FloorSql = $"""
        WITH doomed AS MATERIALIZED (
            SELECT memory_id FROM memory_items
            WHERE tier = @Tier AND created_at < @CreatedBefore AND outcome_score < @OutcomeBelow AND frequency_score < @FrequencyBelow
              AND (last_accessed IS NULL OR last_accessed < @AccessedBefore)
        ),
        archived AS (
            INSERT INTO memory_items_archive ({ArchiveSql.MemoryColumns}, {ArchiveSql.ArchiveColumns})
            SELECT {ArchiveSql.MemoryColumns}, to_jsonb(m), @RunId, 'cleanup', @Now, NULL
            FROM memory_items m JOIN doomed d USING (memory_id)
        ),
        archived_outcomes AS (
            INSERT INTO outcomes_archive ({ArchiveSql.OutcomeColumns}, {ArchiveSql.ArchiveColumns})
            SELECT {ArchiveSql.OutcomeColumns}, to_jsonb(o), @RunId, 'cleanup', @Now, NULL
            FROM outcomes o JOIN doomed d USING (memory_id)
        )
        DELETE FROM memory_items m USING doomed d WHERE m.memory_id = d.memory_id
        """;

    public async Task<long> RunFloorAsync(NpgsqlDataSource db, IServiceProvider services, CancellationToken ct)
    {
        var o = services.GetRequiredService<IOptionsMonitor<CleanupOptions>>().CurrentValue;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(FloorSql, connection) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("Tier", o.Tier);
        cmd.Parameters.AddWithValue("CreatedBefore", Dataset.Now - TimeSpan.FromDays(o.AgeDays));
        cmd.Parameters.AddWithValue("AccessedBefore", Dataset.Now - TimeSpan.FromDays(o.IdleDays));
        cmd.Parameters.AddWithValue("OutcomeBelow", o.OutcomeScoreBelow);
        cmd.Parameters.AddWithValue("FrequencyBelow", o.FrequencyScoreBelow);
        cmd.Parameters.AddWithValue("RunId", Guid.Empty);
        cmd.Parameters.AddWithValue("Now", Dataset.Now);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Memories and outcomes left, and the archives without their generated id and the run id.</summary>
    public Task<string> FingerprintAsync(NpgsqlDataSource db, CancellationToken ct) => Fingerprint.OfTablesAsync(db, ct,
        ("memory_items", "SELECT m AS r FROM memory_items m"),
        ("outcomes", "SELECT o AS r FROM outcomes o"),
        ("memory_items_archive", ArchiveRows("memory_items_archive")),
        ("outcomes_archive", ArchiveRows("outcomes_archive")));

    internal static string ArchiveRows(string table) =>
        $"SELECT (to_jsonb(a) - 'archive_id' - 'archive_run_id')::text AS r FROM {table} a";
}
