using Acms.Domain.Reports;

namespace Acms.Domain.Insights;

public sealed record InsightsSummaryData(
    SummaryPeriod Period, KeyStats KeyStats, IReadOnlyList<TopicTrend> TopTopics, IReadOnlyList<Insight> Insights, IReadOnlyList<Recommendation> Recommendations);
