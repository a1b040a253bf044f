using Acms.Domain.Insights;

namespace Acms.Domain.Reports;

public sealed record IntelligenceReport(
    Guid Id,
    string ReportType,
    string Scope,
    Guid? UserId,
    DateTime PeriodStart,
    DateTime PeriodEnd,
    string Title,
    string Summary,
    string ExecutiveSummaryMd,
    IReadOnlyList<TopicTrend> TopTopics,
    IReadOnlyList<Insight> Insights,
    IReadOnlyList<Recommendation> Recommendations,
    ReportMetrics Metrics,
    string GeneratedBy,
    double GenerationTimeMs,
    DateTime CreatedAt);
