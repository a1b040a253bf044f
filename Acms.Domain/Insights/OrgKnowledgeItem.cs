namespace Acms.Domain.Insights;

/// <summary>A topic asked across several users: counts only, and a sample question only when it came from a PUBLIC row.</summary>
public sealed record OrgKnowledgeItem(
    string Topic, int UserCount, long QueryCount, DateTime FirstSeen, DateTime LastSeen, DateTime PeriodStart, DateTime PeriodEnd, string? SampleQuestion);
