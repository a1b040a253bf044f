namespace Acms.Domain.Insights;

public sealed record PeriodStats(long Queries, long CacheHits, double? AverageCostUsd, double TotalCostUsd, long TopicsCount)
{
    public double CacheHitRate => Queries == 0 ? 0 : (double)CacheHits / Queries;
}
