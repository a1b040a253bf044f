namespace Acms.Domain.Jobs.Dedup;

/// <summary>What one merge transaction did.</summary>
internal sealed record MergeTotals(long GroupsMerged, long RowsMerged, long OutcomesMoved, long OutcomesArchived, long GroupsSkipped);
