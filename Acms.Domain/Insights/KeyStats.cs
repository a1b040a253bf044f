namespace Acms.Domain.Insights;

public sealed record KeyStats(long TotalQueries, long PreviousQueries, long UniqueTopics, double CacheHitRate, double? AvgCostUsd, double TotalCostUsd);
