using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Archive;

/// <summary>
/// Puts an archived memory back from <c>memory_items_archive</c>, with the outcomes archived with it, in one transaction.
/// The row is rebuilt from <c>row_data</c>, so columns this service does not know come back too. Outcomes that dedup had
/// moved to the survivor move back to the restored memory; the survivor keeps the access count and tags it gained.
/// The memory is marked (<c>dedup_restored</c>) so that dedup does not merge it again while its text stays the same.
/// </summary>
public sealed class ArchiveRestorer(NpgsqlDataSource dataSource, TimeProvider time, ILogger<ArchiveRestorer> logger)
{
    private const string FindSql = """
        SELECT archive_id AS ArchiveId, archive_run_id AS RunId, user_id AS UserId, content_hash AS ContentHash, merged_into AS MergedInto
        FROM memory_items_archive
        WHERE memory_id = @MemoryId AND restored_at IS NULL
        ORDER BY archived_at DESC, archive_id DESC
        LIMIT 1
        FOR UPDATE
        """;

    private const string ConflictSql = """
        SELECT (SELECT memory_id FROM memory_items WHERE memory_id = @MemoryId) AS SameId,
               (SELECT memory_id FROM memory_items WHERE user_id = @UserId AND content_hash = @ContentHash) AS SameContent,
               EXISTS (SELECT 1 FROM users WHERE user_id = @UserId) AS UserExists
        """;

    // ON CONFLICT DO NOTHING covers a memory inserted with the same id or content between the check and this statement.
    private const string RestoreMemorySql = """
        INSERT INTO memory_items
        SELECT r.* FROM memory_items_archive a, jsonb_populate_record(NULL::memory_items, a.row_data) r
        WHERE a.archive_id = @ArchiveId
        ON CONFLICT DO NOTHING
        """;

    private const string RestoreOutcomesSql = """
        WITH restored AS (
            INSERT INTO outcomes
            SELECT r.* FROM outcomes_archive a, jsonb_populate_record(NULL::outcomes, a.row_data) r
            WHERE a.archive_run_id = @RunId AND a.memory_id = @MemoryId AND a.restored_at IS NULL
            ON CONFLICT (outcome_id) DO UPDATE SET memory_id = EXCLUDED.memory_id
            RETURNING 1
        ),
        marked AS (
            UPDATE outcomes_archive SET restored_at = @Now
            WHERE archive_run_id = @RunId AND memory_id = @MemoryId AND restored_at IS NULL
        ),
        marked_memory AS (
            UPDATE memory_items_archive SET restored_at = @Now WHERE archive_id = @ArchiveId
        ),
        -- dedup leaves the memory alone while it keeps the text it came back with (see migration 0040)
        kept_apart AS (
            INSERT INTO dedup_restored (memory_id, content_md5, restored_at)
            SELECT memory_id, md5(content), @Now FROM memory_items_archive WHERE archive_id = @ArchiveId
            ON CONFLICT (memory_id) DO UPDATE SET content_md5 = EXCLUDED.content_md5, restored_at = EXCLUDED.restored_at
        )
        SELECT count(*)::int FROM restored
        """;

    public async Task<RestoreResult> RestoreAsync(Guid memoryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var archived = await connection.QuerySingleOrDefaultAsync<ArchivedMemory>(new CommandDefinition(FindSql, new { MemoryId = memoryId }, tx, cancellationToken: cancellationToken));
        if (archived is null)
        {
            return new RestoreResult(RestoreStatus.NotArchived, memoryId, 0, null, null, $"Memory {memoryId} has no archived copy waiting to be restored.");
        }

        var check = await connection.QuerySingleAsync<(Guid? SameId, Guid? SameContent, bool UserExists)>(new CommandDefinition(ConflictSql,
            new { MemoryId = memoryId, archived.UserId, archived.ContentHash }, tx, cancellationToken: cancellationToken));
        if (Refusal(memoryId, archived, check.SameId, check.SameContent, check.UserExists) is { } refused)
        {
            return refused;
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(RestoreMemorySql, new { archived.ArchiveId }, tx, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            check = await connection.QuerySingleAsync<(Guid? SameId, Guid? SameContent, bool UserExists)>(new CommandDefinition(ConflictSql,
                new { MemoryId = memoryId, archived.UserId, archived.ContentHash }, cancellationToken: cancellationToken));
            return Refusal(memoryId, archived, check.SameId, check.SameContent, check.UserExists)
                   ?? new RestoreResult(RestoreStatus.ContentConflict, memoryId, 0, null, archived.MergedInto, $"Memory {memoryId} conflicts with a row inserted meanwhile.");
        }

        var outcomes = await connection.QuerySingleAsync<int>(new CommandDefinition(RestoreOutcomesSql,
            new { archived.ArchiveId, archived.RunId, MemoryId = memoryId, Now = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("Restored memory {MemoryId} of user {UserId} with {Outcomes} outcomes from archive run {RunId}", memoryId, archived.UserId, outcomes, archived.RunId);
        return new RestoreResult(RestoreStatus.Restored, memoryId, outcomes, null, archived.MergedInto, $"Memory {memoryId} restored with {outcomes} outcome(s).");
    }

    private static RestoreResult? Refusal(Guid memoryId, ArchivedMemory archived, Guid? sameId, Guid? sameContent, bool userExists) =>
        sameId is not null ? new RestoreResult(RestoreStatus.AlreadyPresent, memoryId, 0, sameId, archived.MergedInto, $"Memory {memoryId} already exists.")
        : sameContent is { } other ? new RestoreResult(RestoreStatus.ContentConflict, memoryId, 0, other, archived.MergedInto,
            $"User {archived.UserId} already has memory {other} with the same content; nothing restored.")
        : !userExists ? new RestoreResult(RestoreStatus.UserMissing, memoryId, 0, null, archived.MergedInto, $"User {archived.UserId} no longer exists.")
        : null;

    private sealed class ArchivedMemory
    {
        public long ArchiveId { get; init; }
        public Guid RunId { get; init; }
        public Guid UserId { get; init; }
        public string ContentHash { get; init; } = "";
        public Guid? MergedInto { get; init; }
    }
}
