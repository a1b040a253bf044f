namespace Acms.Domain.Insights;

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
