using Acms.Domain.Archive;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>The dedup job's statements.</summary>
internal static class DedupSql
{
    public const string UsersSql = "SELECT user_id FROM users WHERE user_id > @After ORDER BY user_id LIMIT @Limit";

    // NFKC by PostgreSQL on a UTF8 database (normalize() needs it). No ORDER BY: rows are bucketed per user in memory.
    // A memory restored from the archive is left out while its text is the one restored (dedup_restored, see 0040).
    public const string ScanSql = $"""
        SELECT m.user_id, m.memory_id, m.content_hash, normalize(m.content, NFKC), m.crs_score, m.outcome_score + m.frequency_score, m.created_at
        FROM memory_items m
        WHERE m.user_id = ANY(@Users) AND {NotRestored}
        """;

    public const string ScanSqlWithoutNfkc = $"""
        SELECT m.user_id, m.memory_id, m.content_hash, m.content, m.crs_score, m.outcome_score + m.frequency_score, m.created_at
        FROM memory_items m
        WHERE m.user_id = ANY(@Users) AND {NotRestored}
        """;

    /// <summary>The memory <c>m</c> has not been restored with its current text (the bench floor uses the same test).</summary>
    public const string NotRestored = "NOT EXISTS (SELECT 1 FROM dedup_restored r WHERE r.memory_id = m.memory_id AND r.content_md5 = md5(m.content))";

    // Statement 1 of a merge: lock every member of the batch's groups, in key order (the same order cleanup locks in).
    public const string LockSql = """
        SELECT memory_id AS MemoryId, user_id AS UserId, content_hash AS ContentHash, crs_score AS Crs,
               outcome_score + frequency_score AS Secondary, created_at AS CreatedAt
        FROM memory_items
        WHERE memory_id = ANY(@Ids)
        ORDER BY memory_id
        FOR UPDATE
        """;

    // Statement 2, on a snapshot taken with the locks held: archive the duplicates and their outcomes, fold the group into
    // the survivor, move the outcomes. Every sub-statement sees the same snapshot: the archive copies the outcomes as they
    // were before the move.
    public const string MergeSql = $"""
        WITH pairs AS (
            SELECT * FROM unnest(@SurvivorIds::uuid[], @DuplicateIds::uuid[]) AS p(survivor_id, duplicate_id)
        ),
        archived AS (
            INSERT INTO memory_items_archive ({ArchiveSql.MemoryColumns}, {ArchiveSql.ArchiveColumns})
            SELECT {ArchiveSql.MemoryColumns}, to_jsonb(m), @RunId, '{ArchiveSql.Dedup}', @Now, p.survivor_id
            FROM memory_items m JOIN pairs p ON m.memory_id = p.duplicate_id
            RETURNING 1
        ),
        archived_outcomes AS (
            INSERT INTO outcomes_archive ({ArchiveSql.OutcomeColumns}, {ArchiveSql.ArchiveColumns})
            SELECT {ArchiveSql.OutcomeColumns}, to_jsonb(o), @RunId, '{ArchiveSql.Dedup}', @Now, p.survivor_id
            FROM outcomes o JOIN pairs p ON o.memory_id = p.duplicate_id
            RETURNING 1
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
                   -- strictest wins; an unknown level counts as stricter than any known one
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
            SET access_count = x.access_count,
                last_accessed = x.last_accessed,
                tags = COALESCE(t.tags, s.tags),
                tier = x.tier,
                privacy_level = x.privacy_level,
                updated_at = @Now
            FROM merged x LEFT JOIN tag_union t ON t.survivor_id = x.survivor_id
            WHERE s.memory_id = x.survivor_id
            RETURNING 1
        ),
        moved AS (
            UPDATE outcomes o
            SET memory_id = p.survivor_id
            FROM pairs p
            WHERE o.memory_id = p.duplicate_id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM archived) AS Archived,
               (SELECT count(*) FROM archived_outcomes) AS OutcomesArchived,
               (SELECT count(*) FROM moved) AS OutcomesMoved,
               (SELECT count(*) FROM updated) AS Survivors
        """;

    // Statement 3: the duplicates go (their outcomes have moved, so the cascade finds none).
    public const string DeleteSql = "DELETE FROM memory_items m USING unnest(@DuplicateIds::uuid[]) AS d(id) WHERE m.memory_id = d.id";
}
