using Acms.Domain.Archive;
using Npgsql;

namespace Acms.Bench.Cases;

/// <summary>
/// Floor: one statement that groups each user's memories by normalized text (NFKC, lower case, whitespace collapsed,
/// trailing sentence punctuation dropped), keeps the job's survivor (highest crs_score, then outcome+frequency, then
/// oldest, then lowest id), archives the others with their outcomes, folds them into the survivor (access counts summed,
/// latest access, tags united, highest tier, strictest privacy, updated_at = now), moves the outcomes and deletes the
/// duplicates; memories restored from the archive with unchanged text are left out. The dataset plants only such
/// duplicates (and gives every text a unique token, so no two unrelated texts say the same thing), so the job's
/// candidate stages (candidate keys, MinHash) and its same-meaning rule end with the same groups: the floor stays an
/// independent oracle for them, without re-implementing the rule in SQL. The SQL normalization equals the job's for the
/// dataset's ASCII text.
/// </summary>
public sealed class DedupCase : IBenchCase
{
    public string Job => "dedup";

    public string? Floor => "one statement: window over (user_id, normalized text) picks the survivor → archive duplicates + outcomes → fold into survivor → move outcomes → DELETE duplicates";

    public Target Target { get; } = new(MaxRatio: 1.5);

    private const string FloorSql = $$"""
        WITH keyed AS (
            SELECT memory_id, user_id,
                   regexp_replace(regexp_replace(btrim(lower(normalize(content, NFKC))), '\s+', ' ', 'g'), '[\s.!?。‼⁇⁈⁉]+$', '') AS text_key,
                   crs_score, outcome_score + frequency_score AS secondary, created_at
            FROM memory_items m
            -- a memory restored from the archive with its text unchanged is not merged again
            WHERE NOT EXISTS (SELECT 1 FROM dedup_restored r WHERE r.memory_id = m.memory_id AND r.content_md5 = md5(m.content))
        ),
        grouped AS MATERIALIZED (
            SELECT memory_id,
                   first_value(memory_id) OVER (PARTITION BY user_id, text_key
                       ORDER BY crs_score DESC, secondary DESC, created_at, memory_id) AS survivor_id,
                   count(*) OVER (PARTITION BY user_id, text_key) AS members
            FROM keyed
            WHERE text_key <> ''
        ),
        pairs AS MATERIALIZED (
            SELECT survivor_id, memory_id AS duplicate_id FROM grouped WHERE members > 1 AND memory_id <> survivor_id
        ),
        archived AS (
            INSERT INTO memory_items_archive ({{ArchiveSql.MemoryColumns}}, {{ArchiveSql.ArchiveColumns}})
            SELECT {{ArchiveSql.MemoryColumns}}, to_jsonb(m), @RunId, 'dedup', @Now, p.survivor_id
            FROM memory_items m JOIN pairs p ON m.memory_id = p.duplicate_id
        ),
        archived_outcomes AS (
            INSERT INTO outcomes_archive ({{ArchiveSql.OutcomeColumns}}, {{ArchiveSql.ArchiveColumns}})
            SELECT {{ArchiveSql.OutcomeColumns}}, to_jsonb(o), @RunId, 'dedup', @Now, p.survivor_id
            FROM outcomes o JOIN pairs p ON o.memory_id = p.duplicate_id
        ),
        members AS (
            SELECT g.survivor_id, m.memory_id, m.access_count, m.last_accessed, m.tags, m.tier, m.privacy_level
            FROM memory_items m
            JOIN (SELECT survivor_id, duplicate_id AS memory_id FROM pairs
                  UNION
                  SELECT survivor_id, survivor_id FROM pairs) g ON m.memory_id = g.memory_id
        ),
        merged AS (
            SELECT survivor_id,
                   LEAST(sum(access_count), 2147483647)::int AS access_count,
                   max(last_accessed) AS last_accessed,
                   (array_agg(tier ORDER BY CASE tier WHEN 'LONG' THEN 3 WHEN 'MID' THEN 2 WHEN 'SHORT' THEN 1 ELSE 0 END DESC,
                                            memory_id = survivor_id DESC))[1] AS tier,
                   (array_agg(privacy_level ORDER BY CASE privacy_level WHEN 'PUBLIC' THEN 0 WHEN 'INTERNAL' THEN 1
                                                     WHEN 'CONFIDENTIAL' THEN 2 WHEN 'LOCAL_ONLY' THEN 3 ELSE 4 END DESC,
                                                     memory_id = survivor_id DESC))[1] AS privacy_level
            FROM members
            GROUP BY survivor_id
        ),
        tag_union AS (
            SELECT survivor_id, array_agg(DISTINCT tag ORDER BY tag) AS tags
            FROM members, unnest(tags) AS tag
            GROUP BY survivor_id
        ),
        updated AS (
            UPDATE memory_items s
            SET access_count = x.access_count, last_accessed = x.last_accessed, tags = COALESCE(t.tags, s.tags),
                tier = x.tier, privacy_level = x.privacy_level, updated_at = @Now
            FROM merged x LEFT JOIN tag_union t ON t.survivor_id = x.survivor_id
            WHERE s.memory_id = x.survivor_id
        ),
        moved AS (
            UPDATE outcomes o SET memory_id = p.survivor_id FROM pairs p WHERE o.memory_id = p.duplicate_id
        )
        DELETE FROM memory_items m USING pairs p WHERE m.memory_id = p.duplicate_id
        """;

    public async Task<long> RunFloorAsync(NpgsqlDataSource db, IServiceProvider services, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(FloorSql, connection) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("RunId", Guid.Empty);
        cmd.Parameters.AddWithValue("Now", Dataset.Now);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public Task<string> FingerprintAsync(NpgsqlDataSource db, CancellationToken ct) => Fingerprint.OfTablesAsync(db, ct,
        ("memory_items", "SELECT m AS r FROM memory_items m"),
        ("outcomes", "SELECT o AS r FROM outcomes o"),
        ("memory_items_archive", CleanupCase.ArchiveRows("memory_items_archive")),
        ("outcomes_archive", CleanupCase.ArchiveRows("outcomes_archive")));
}
