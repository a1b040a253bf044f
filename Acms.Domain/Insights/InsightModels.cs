namespace Acms.Domain.Insights;

public static class Trends
{
    public const string New = "NEW";
    public const string Up = "UP";
    public const string Down = "DOWN";
    public const string Stable = "STABLE";
}

public static class InsightTypes
{
    public const string EmergingTheme = "emerging_theme";
    public const string TopicShift = "topic_shift";
    public const string CostTrend = "cost_trend";
    public const string ProductivityTrend = "productivity_trend";
    public const string KnowledgeGap = "knowledge_gap";
}

/// <summary>A topic in a period against the previous period of the same length.</summary>
public sealed record TopicTrend(string Topic, long Count, long PreviousCount, string Trend, double? TrendPercent);

/// <summary>What an insight rests on: the queries (ids only), counts and the measured value.</summary>
public sealed record InsightEvidence(
    IReadOnlyList<Guid> QueryIds,
    long Count,
    long? PreviousCount = null,
    double? ChangePercent = null,
    double? Value = null,
    double? Threshold = null,
    string? Topic = null);

public sealed record Insight(string Type, string Key, string Title, string Description, double Confidence, InsightEvidence Evidence);

public sealed record PeriodStats(long Queries, long CacheHits, double? AverageCostUsd, double TotalCostUsd, long TopicsCount)
{
    public double CacheHitRate => Queries == 0 ? 0 : (double)CacheHits / Queries;
}

/// <summary>One scope (a user, or the organisation) over one period.</summary>
public sealed record ScopeAnalysis(Guid? UserId, PeriodStats Stats, IReadOnlyList<TopicTrend> Topics, IReadOnlyList<Insight> Insights);

/// <summary>The rule thresholds, from <c>Jobs:InsightGeneration</c>.</summary>
public sealed record InsightThresholds(
    double EmergingPercent = 25,
    double StableBandPercent = 10,
    int MinTopicQueries = 2,
    double CostPerQueryUsd = 0.05,
    double CacheHitRate = 0.20,
    int CacheMinQueries = 10,
    int RecurringMinRepeats = 3,
    int TopTopics = 10);
