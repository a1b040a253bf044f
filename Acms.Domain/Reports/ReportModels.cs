using Acms.Domain.Insights;

namespace Acms.Domain.Reports;

/// <summary>
/// A request to generate a report, as received (strings are validated by <see cref="ReportService"/>).
/// report_type weekly (default: the previous ISO week), monthly (the previous calendar month) or custom (both dates
/// required); scope user (user_id required) or org; period_end is exclusive; format json, markdown or html.
/// </summary>
public sealed record ReportRequest(
    string? ReportType = "weekly",
    string? Scope = "user",
    Guid? UserId = null,
    string? PeriodStart = null,
    string? PeriodEnd = null,
    string? Format = "json");

public sealed record Recommendation(string Type, string Title, string Detail, string? Topic, string Priority);

/// <summary>
/// A report's figures. The memory figures are null (left out) when they cannot be counted for the report's scope: a
/// personal report has no per-user decay figure, nor merged/cleaned figures for periods older than the archive keeps.
/// </summary>
public sealed record ReportMetrics(
    long QaCount,
    long TopicsCount,
    double CacheHitRate,
    double? AverageCostUsd,
    double TotalCostUsd,
    long? MemoriesDecayed,
    long? MemoriesMerged,
    long? MemoriesCleaned);

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

public sealed record ReportListItem(
    Guid Id, string ReportType, string Scope, Guid? UserId, DateTime PeriodStart, DateTime PeriodEnd, string Title, string Summary, DateTime CreatedAt);

public sealed record ReportList(IReadOnlyList<ReportListItem> Reports, int Count);

public sealed record Envelope<T>(T Data);

public sealed record RenderedReport(IntelligenceReport Report, string Content, string ContentType);

public static class ReportFormats
{
    public const string Json = "json";
    public const string Markdown = "markdown";
    public const string Html = "html";
}
