namespace Acms.Domain.Insights;

/// <summary>A topic in a period against the previous period of the same length.</summary>
public sealed record TopicTrend(string Topic, long Count, long PreviousCount, string Trend, double? TrendPercent);
