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

    private const string MemoryColumns = """
        memory_id, user_id, content, content_hash, encrypted_content, embedding_vector_id, tier, phase, tags,
        crs_score, semantic_score, recency_score, outcome_score, frequency_score, correction_score, access_count,
        last_accessed, created_at, updated_at, checkpoint, metadata_json, privacy_level, owner_id, confidence_score,
        flagged, flagged_reason, feedback_summary, last_decayed_at
        """;

    private const string OutcomeColumns = """outcome_id, memory_id, query_id, outcome_type, feedback_score, description, "timestamp", metadata_json""";

    private const string FloorSql = $"""
        WITH doomed AS MATERIALIZED (
            SELECT memory_id FROM memory_items
            WHERE tier = @Tier AND created_at < @CreatedBefore AND outcome_score < @OutcomeBelow AND frequency_score < @FrequencyBelow
              AND (last_accessed IS NULL OR last_accessed < @AccessedBefore)
        ),
        archived AS (
            INSERT INTO memory_items_archive ({MemoryColumns}, row_data, archive_run_id, archive_reason, archived_at, merged_into)
            SELECT {MemoryColumns}, to_jsonb(m), @RunId, 'cleanup', @Now, NULL
            FROM memory_items m JOIN doomed d USING (memory_id)
        ),
        archived_outcomes AS (
            INSERT INTO outcomes_archive ({OutcomeColumns}, row_data, archive_run_id, archive_reason, archived_at, merged_into)
            SELECT {OutcomeColumns}, to_jsonb(o), @RunId, 'cleanup', @Now, NULL
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
