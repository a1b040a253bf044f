namespace Acms.Domain.Reports;

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
