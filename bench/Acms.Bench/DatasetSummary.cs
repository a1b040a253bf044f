namespace Acms.Bench;

/// <summary>What was loaded into the template database.</summary>
public sealed record DatasetSummary(
    int Users, long Memories, long DuplicateMembers, long DuplicateGroups, long Outcomes, long QueryHistory,
    string QueryHistorySource, double LoadSeconds, long DatabaseBytes);
