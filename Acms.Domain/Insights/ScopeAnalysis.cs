namespace Acms.Domain.Insights;

/// <summary>One scope (a user, or the organisation) over one period.</summary>
public sealed record ScopeAnalysis(Guid? UserId, PeriodStats Stats, IReadOnlyList<TopicTrend> Topics, IReadOnlyList<Insight> Insights);
