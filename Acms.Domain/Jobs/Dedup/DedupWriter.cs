using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Merges a batch of planned groups in one transaction: lock every member (key order), re-check, archive the duplicates
/// and their outcomes, fold them into the survivor, move the outcomes, delete the duplicates. A group is all-or-nothing:
/// if any member is gone, moved to another user or has other content since it was read, the group is left alone. The
/// planned survivor is kept even if its scores changed meanwhile: the duplicates were checked against it. The transaction
/// is the caller's (<see cref="JobBatches.ApplyAsync{T}"/>), which commits it; a mismatch throws and rolls the batch back.
/// </summary>
internal sealed class DedupWriter(ILogger logger)
{
    public async Task<MergeTotals> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<DuplicateGroup> groups, JobContext context, CancellationToken ct)
    {
        var ids = groups.SelectMany(g => g.Members.Select(m => m.MemoryId)).ToArray();
        var current = (await connection.QueryAsync<Member>(new CommandDefinition(DedupSql.LockSql, new { Ids = ids }, tx, cancellationToken: ct)))
            .ToDictionary(m => m.MemoryId);

        var survivors = new List<Guid>();
        var duplicates = new List<Guid>();
        var skipped = 0;
        var merged = 0;
        foreach (var group in groups)
        {
            // All or nothing: every member still there, still this user's, still the same content.
            var unchanged = group.Members.All(seen => current.TryGetValue(seen.MemoryId, out var row)
                                                      && row.UserId == group.UserId && row.ContentHash == seen.ContentHash);
            if (!unchanged)
            {
                skipped++;
                continue;
            }

            foreach (var duplicate in group.Duplicates)
            {
                survivors.Add(group.Survivor.MemoryId);
                duplicates.Add(duplicate.MemoryId);
            }

            merged++;
        }

        if (skipped > 0)
        {
            logger.LogWarning("Dedup: {Skipped} group(s) changed since they were read (deleted, edited or moved) and were left untouched", skipped);
        }

        if (duplicates.Count == 0)
        {
            return new MergeTotals(0, 0, 0, 0, skipped);
        }

        var result = await connection.QuerySingleAsync<(long Archived, long OutcomesArchived, long OutcomesMoved, long Survivors)>(new CommandDefinition(DedupSql.MergeSql,
            new { SurvivorIds = survivors.ToArray(), DuplicateIds = duplicates.ToArray(), context.RunId, context.Now }, tx, cancellationToken: ct));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DedupSql.DeleteSql, new { DuplicateIds = duplicates.ToArray() }, tx, cancellationToken: ct));
        if (result.Archived != duplicates.Count || deleted != duplicates.Count || result.Survivors != merged)
        {
            throw new InvalidOperationException(
                $"Dedup merge mismatch: {duplicates.Count} duplicates, {result.Archived} archived, {deleted} deleted, {result.Survivors} survivors updated for {merged} groups; rolled back.");
        }

        return new MergeTotals(merged, deleted, result.OutcomesMoved, result.OutcomesArchived, skipped);
    }
}
