namespace Acms.Domain.Insights;

/// <param name="InsightsStatus">
/// <c>current</c>: the insights are those stored for this period (same length, ending today or yesterday, the latest the
/// daily job has produced); <c>none_for_period</c>: no stored insights cover it, and <c>insights</c> is empty.
/// </param>
public sealed record InsightsSummaryMeta(
    string Scope, Guid? UserId, DateTime GeneratedAt, string Source, string ExtractorVersion, DateTime? InsightsPeriodStart, DateTime? InsightsPeriodEnd,
    double QueryTimeMs, string InsightsStatus, DateTime? InsightsGeneratedAt, string? InsightsNote);
