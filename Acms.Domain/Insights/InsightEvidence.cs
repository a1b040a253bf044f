namespace Acms.Domain.Insights;

/// <summary>What an insight rests on: the queries (ids only), counts and the measured value.</summary>
public sealed record InsightEvidence(
    IReadOnlyList<Guid> QueryIds,
    long Count,
    long? PreviousCount = null,
    double? ChangePercent = null,
    double? Value = null,
    double? Threshold = null,
    string? Topic = null);
