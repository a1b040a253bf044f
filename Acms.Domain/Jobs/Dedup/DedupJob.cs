using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Merges each user's memories that say the same thing, never across users. Users are read <c>UsersPerScan</c> at a time
/// (keyset on <c>users.user_id</c>, <see cref="DedupReader"/>); each user's merges are planned in memory
/// (<see cref="DuplicatePlanner"/>: candidates by normalized text, candidate key and MinHash, then every duplicate
/// checked against its survivor by <see cref="SameMeaningRule"/>); the groups are merged <c>BatchSize</c> groups per
/// transaction with set-based statements over arrays (<see cref="DedupWriter"/>), each transaction one
/// <see cref="JobBatches.ApplyAsync{T}"/> batch fenced by the run's lease. A memory restored from the archive is left out
/// while it keeps the text it came back with.
/// </summary>
public sealed class DedupJob(JobBatches batches, IOptionsSnapshot<DedupOptions> options, ILogger<DedupJob> logger) : IJob
{
    /// <summary>Groups listed one by one in the run's details; the counts are always complete.</summary>
    public const int GroupListCap = 100;

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var finder = new NearDuplicateFinder(o.SimilarityThreshold, o.SimilarityEnabled, o.MinHashFunctions);
        var planner = new DuplicatePlanner(finder);
        var reader = new DedupReader(batches, logger);
        var writer = new DedupWriter(logger);
        var totals = new DedupTotals();
        context.Details["similarity_threshold"] = finder.Similarity ? o.SimilarityThreshold : 1.0;
        context.Details["merge_rule"] = finder.Similarity ? "same_meaning" : "equal_after_normalization";
        if (finder.Similarity)
        {
            context.Details["minhash_bands"] = finder.Bands;
            context.Details["minhash_rows"] = finder.Rows;
        }

        var scanSql = await reader.IsUtf8Async(cancellationToken) ? DedupSql.ScanSql : DedupSql.ScanSqlWithoutNfkc;
        var listed = new List<Dictionary<string, object>>();
        var after = Guid.Empty;
        while (true)
        {
            // A scan (reading its users' memories and grouping them) is work the run rests for, like the merges after it.
            var scanStarted = batches.Timestamp();
            var users = await reader.UsersAsync(after, o.UsersPerScan, cancellationToken);
            if (users.Count == 0)
            {
                break;
            }

            after = users[^1];
            var groups = await reader.PlanAsync(scanSql, users, planner, o.Parallelism, cancellationToken);
            totals.UsersScanned += users.Count;
            totals.GroupsFound += groups.Count;
            foreach (var group in groups.Take(Math.Max(0, GroupListCap - listed.Count)))
            {
                listed.Add(Describe(group));
            }

            if (context.DryRun)
            {
                var wouldMerge = groups.Sum(g => (long)g.Duplicates.Length);
                totals.RowsMerged += wouldMerge;
                context.AddAffected(wouldMerge);
            }
            else if (groups.Count == 0)
            {
                await batches.RestAsync(context, scanStarted, cancellationToken);
            }
            else
            {
                for (var start = 0; start < groups.Count; start += o.BatchSize)
                {
                    var chunk = groups.GetRange(start, Math.Min(o.BatchSize, groups.Count - start));
                    var merged = await batches.ApplyAsync(context, (connection, tx, ct) => writer.MergeAsync(connection, tx, chunk, context, ct),
                        m => m.RowsMerged, cancellationToken, start == 0 ? scanStarted : null);
                    totals.Add(merged);
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

    private static Dictionary<string, object> Describe(DuplicateGroup group) => new()
    {
        ["user_id"] = group.UserId,
        ["survivor_id"] = group.Survivor.MemoryId,
        ["duplicate_ids"] = group.Duplicates.Select(m => m.MemoryId).ToArray(),
    };
}
