namespace Acms.Domain.Jobs.Dedup;

/// <summary>A run's running totals, written to the run's details after every scan batch.</summary>
internal sealed class DedupTotals
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
