using System.Data.Common;
using Acms.Domain.Archive;
using Acms.Domain.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Merges each user's near-duplicate memories, never across users. Users are read <c>UsersPerScan</c> at a time (keyset on
/// <c>users.user_id</c>); their memories are grouped in memory (<see cref="NearDuplicateFinder"/>); the groups are merged
/// <c>BatchSize</c> groups per transaction with set-based statements over arrays. A group is all-or-nothing: its rows are
/// locked and re-checked (still there, same user, same content) and the group is left alone if anything changed.
/// </summary>
public sealed class DedupJob(NpgsqlDataSource dataSource, IOptionsSnapshot<DedupOptions> options, TimeProvider time, ILogger<DedupJob> logger) : IJob
{
    /// <summary>Groups listed one by one in the run's details; the counts are always complete.</summary>
    public const int GroupListCap = 100;

    private const string UsersSql = "SELECT user_id FROM users WHERE user_id > @After ORDER BY user_id LIMIT @Limit";

    // NFKC by PostgreSQL on a UTF8 database (normalize() needs it). No ORDER BY: rows are bucketed per user in memory.
    private const string ScanSql = """
        SELECT user_id, memory_id, content_hash, normalize(content, NFKC), crs_score, outcome_score + frequency_score, created_at
        FROM memory_items
        WHERE user_id = ANY(@Users)
        """;

    private const string ScanSqlWithoutNfkc = """
        SELECT user_id, memory_id, content_hash, content, crs_score, outcome_score + frequency_score, created_at
        FROM memory_items
        WHERE user_id = ANY(@Users)
        """;

    // Statement 1 of a merge: lock every member of the batch's groups, in key order (the same order cleanup locks in).
    private const string LockSql = """
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
    private const string MergeSql = $"""
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
    private const string DeleteSql = "DELETE FROM memory_items m USING unnest(@DuplicateIds::uuid[]) AS d(id) WHERE m.memory_id = d.id";

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var finder = new NearDuplicateFinder(o.SimilarityThreshold, o.SimilarityEnabled, o.MinHashFunctions);
        var totals = new Totals();
        context.Details["similarity_threshold"] = finder.Similarity ? o.SimilarityThreshold : 1.0;
        if (finder.Similarity)
        {
            context.Details["minhash_bands"] = finder.Bands;
            context.Details["minhash_rows"] = finder.Rows;
        }

        var scanSql = await IsUtf8Async(cancellationToken) ? ScanSql : ScanSqlWithoutNfkc;
        var listed = new List<Dictionary<string, object>>();
        var after = Guid.Empty;
        while (true)
        {
            var users = await Transient.RetryAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return (await connection.QueryAsync<Guid>(new CommandDefinition(UsersSql, new { After = after, Limit = o.UsersPerScan }, cancellationToken: ct))).AsList();
            }, time, logger, cancellationToken);
            if (users.Count == 0)
            {
                break;
            }

            after = users[^1];
            var groups = await FindGroupsAsync(scanSql, users, finder, o.Parallelism, cancellationToken);
            totals.UsersScanned += users.Count;
            totals.GroupsFound += groups.Count;
            foreach (var group in groups.Take(Math.Max(0, GroupListCap - listed.Count)))
            {
                listed.Add(Describe(group));
            }

            if (context.DryRun)
            {
                var wouldMerge = groups.Sum(g => g.Members.Length - 1L);
                totals.RowsMerged += wouldMerge;
                context.AddAffected(wouldMerge);
            }
            else
            {
                for (var start = 0; start < groups.Count; start += o.BatchSize)
                {
                    var chunk = groups.GetRange(start, Math.Min(o.BatchSize, groups.Count - start));
                    var merged = await Transient.RetryAsync(ct => MergeAsync(chunk, context, ct), time, logger, cancellationToken);
                    totals.Add(merged);
                    context.CommitBatch(merged.RowsMerged);
                    context.AddInput(merged.RowsMerged + merged.GroupsMerged);
                    context.AddOutput(merged.GroupsMerged);
                    logger.LogDebug("Dedup batch {Batch}: {Groups} groups merged, {Rows} rows merged away, {Skipped} groups skipped",
                        totals.Batches, merged.GroupsMerged, merged.RowsMerged, merged.GroupsSkipped);
                }
            }

            totals.WriteTo(context, listed);
        }

        totals.WriteTo(context, listed);
        logger.LogInformation("Dedup scanned {Users} users: {Groups} groups found, {Merged} groups merged ({Rows} rows merged away, {Outcomes} outcomes moved), {Skipped} skipped{DryRun}",
            totals.UsersScanned, totals.GroupsFound, totals.GroupsMerged, totals.RowsMerged, totals.OutcomesMoved, totals.GroupsSkipped, context.DryRun ? " (dry run)" : "");
    }

    private async Task<bool> IsUtf8Async(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var encoding = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_setting('server_encoding')", cancellationToken: cancellationToken));
        if (encoding != "UTF8")
        {
            logger.LogWarning("Database encoding is {Encoding}, not UTF8: dedup compares texts without NFKC normalization", encoding);
        }

        return encoding == "UTF8";
    }

    /// <summary>Reads the users' memories and groups each user's own, users in parallel. Only this batch is held in memory.</summary>
    private async Task<List<DuplicateGroup>> FindGroupsAsync(string scanSql, List<Guid> users, NearDuplicateFinder finder, int parallelism, CancellationToken cancellationToken)
    {
        var byUser = await Transient.RetryAsync(async ct =>
        {
            var rows = new Dictionary<Guid, UserRows>();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(scanSql, new { Users = users.ToArray() }, cancellationToken: ct));
            while (await reader.ReadAsync(ct))
            {
                var userId = reader.GetGuid(0);
                if (!rows.TryGetValue(userId, out var userRows))
                {
                    rows[userId] = userRows = new UserRows(userId);
                }

                userRows.Add(Read(reader), TextNormalizer.Normalize(reader.GetString(3)));
            }

            return rows;
        }, time, logger, cancellationToken);

        var perUser = byUser.Values.Where(u => u.Members.Count > 1).ToArray();
        var found = new List<DuplicateGroup>[perUser.Length];
        Parallel.For(0, perUser.Length, new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount,
        }, i =>
        {
            var user = perUser[i];
            found[i] = [.. finder.FindGroups(user.Texts).Select(g => new DuplicateGroup(user.UserId, [.. g.Select(m => user.Members[m])]))];
        });

        // Users in key order, each user's groups by their first member: the same list on every run over the same rows.
        return [.. perUser.Zip(found).OrderBy(p => p.First.UserId, GuidOrder.Instance).SelectMany(p => p.Second)];
    }

    private static Member Read(DbDataReader reader) => new()
    {
        MemoryId = reader.GetGuid(1),
        UserId = reader.GetGuid(0),
        ContentHash = reader.GetString(2),
        Crs = reader.GetDouble(4),
        Secondary = reader.GetDouble(5),
        CreatedAt = reader.GetDateTime(6),
    };

    private async Task<MergeTotals> MergeAsync(List<DuplicateGroup> groups, JobContext context, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = groups.SelectMany(g => g.Members.Select(m => m.MemoryId)).ToArray();
        var current = (await connection.QueryAsync<Member>(new CommandDefinition(LockSql, new { Ids = ids }, tx, cancellationToken: ct)))
            .ToDictionary(m => m.MemoryId);

        var survivors = new List<Guid>();
        var duplicates = new List<Guid>();
        var skipped = 0;
        var merged = 0;
        foreach (var group in groups)
        {
            // All or nothing: every member still there, still this user's, still the same content.
            var now = new List<Member>(group.Members.Length);
            foreach (var seen in group.Members)
            {
                if (current.TryGetValue(seen.MemoryId, out var row) && row.UserId == group.UserId && row.ContentHash == seen.ContentHash)
                {
                    now.Add(row);
                }
            }

            if (now.Count != group.Members.Length)
            {
                skipped++;
                continue;
            }

            var survivor = Survivor.Choose(now);
            foreach (var member in now.Where(m => m.MemoryId != survivor.MemoryId))
            {
                survivors.Add(survivor.MemoryId);
                duplicates.Add(member.MemoryId);
            }

            merged++;
        }

        if (skipped > 0)
        {
            logger.LogWarning("Dedup: {Skipped} group(s) changed since they were read (deleted, edited or moved) and were left untouched", skipped);
        }

        if (duplicates.Count == 0)
        {
            await tx.CommitAsync(ct);
            return new MergeTotals(0, 0, 0, 0, skipped);
        }

        var result = await connection.QuerySingleAsync<(long Archived, long OutcomesArchived, long OutcomesMoved, long Survivors)>(new CommandDefinition(MergeSql,
            new { SurvivorIds = survivors.ToArray(), DuplicateIds = duplicates.ToArray(), context.RunId, context.Now }, tx, cancellationToken: ct));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { DuplicateIds = duplicates.ToArray() }, tx, cancellationToken: ct));
        if (result.Archived != duplicates.Count || deleted != duplicates.Count || result.Survivors != merged)
        {
            throw new InvalidOperationException(
                $"Dedup merge mismatch: {duplicates.Count} duplicates, {result.Archived} archived, {deleted} deleted, {result.Survivors} survivors updated for {merged} groups; rolled back.");
        }

        await tx.CommitAsync(ct);
        return new MergeTotals(merged, deleted, result.OutcomesMoved, result.OutcomesArchived, skipped);
    }

    private static Dictionary<string, object> Describe(DuplicateGroup group)
    {
        var survivor = Survivor.Choose(group.Members);
        return new Dictionary<string, object>
        {
            ["user_id"] = group.UserId,
            ["survivor_id"] = survivor.MemoryId,
            ["duplicate_ids"] = group.Members.Where(m => m.MemoryId != survivor.MemoryId).Select(m => m.MemoryId).ToArray(),
        };
    }

    private sealed record DuplicateGroup(Guid UserId, Member[] Members);

    private sealed record MergeTotals(long GroupsMerged, long RowsMerged, long OutcomesMoved, long OutcomesArchived, long GroupsSkipped);

    private sealed class UserRows(Guid userId)
    {
        public Guid UserId { get; } = userId;
        public List<Member> Members { get; } = [];
        public List<string> Texts { get; } = [];

        public void Add(Member member, string text)
        {
            Members.Add(member);
            Texts.Add(text);
        }
    }

    private sealed class Totals
    {
        public long UsersScanned { get; set; }
        public long GroupsFound { get; set; }
        public long GroupsMerged { get; set; }
        public long GroupsSkipped { get; set; }
        public long RowsMerged { get; set; }
        public long OutcomesMoved { get; set; }
        public long OutcomesArchived { get; set; }
        public int Batches { get; set; }

        public void Add(MergeTotals merged)
        {
            Batches++;
            GroupsMerged += merged.GroupsMerged;
            GroupsSkipped += merged.GroupsSkipped;
            RowsMerged += merged.RowsMerged;
            OutcomesMoved += merged.OutcomesMoved;
            OutcomesArchived += merged.OutcomesArchived;
        }

        public void WriteTo(JobContext context, List<Dictionary<string, object>> listed)
        {
            context.Details["users_scanned"] = UsersScanned;
            context.Details["groups_found"] = GroupsFound;
            context.Details[context.DryRun ? "would_merge" : "rows_merged"] = RowsMerged;
            if (!context.DryRun)
            {
                context.Details["groups_merged"] = GroupsMerged;
                context.Details["groups_skipped"] = GroupsSkipped;
                context.Details["outcomes_moved"] = OutcomesMoved;
                context.Details["outcomes_archived"] = OutcomesArchived;
                context.Details["batches"] = Batches;
            }

            context.Details["groups"] = listed;
        }
    }
}

/// <summary>One memory as dedup sees it when choosing a survivor.</summary>
public sealed class Member
{
    public Guid MemoryId { get; init; }
    public Guid UserId { get; init; }
    public string ContentHash { get; init; } = "";
    public double Crs { get; init; }

    /// <summary><c>outcome_score + frequency_score</c>.</summary>
    public double Secondary { get; init; }

    public DateTime CreatedAt { get; init; }
}

/// <summary>The survivor of a group: highest <c>crs_score</c>, then <c>outcome_score + frequency_score</c>, then oldest, then lowest id.</summary>
public static class Survivor
{
    public static Member Choose(IReadOnlyCollection<Member> members) => members.Order(Comparer<Member>.Create(Compare)).First();

    public static int Compare(Member a, Member b)
    {
        var c = b.Crs.CompareTo(a.Crs);
        if (c == 0)
        {
            c = b.Secondary.CompareTo(a.Secondary);
        }

        if (c == 0)
        {
            c = a.CreatedAt.CompareTo(b.CreatedAt);
        }

        return c != 0 ? c : GuidOrder.Instance.Compare(a.MemoryId, b.MemoryId);
    }
}

/// <summary>PostgreSQL's uuid order (bytes as written), which is not <see cref="Guid.CompareTo(Guid)"/>'s.</summary>
public sealed class GuidOrder : IComparer<Guid>
{
    public static readonly GuidOrder Instance = new();

    public int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return ((ReadOnlySpan<byte>)a).SequenceCompareTo(b);
    }
}
