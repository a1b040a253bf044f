namespace Acms.Domain.Runs;

/// <summary>One ledger row as the runs list and the status show it.</summary>
public sealed record JobRunSummary(
    Guid RunId,
    string Job,
    string Trigger,
    string Status,
    bool DryRun,
    DateTime StartedAt,
    DateTime? CompletedAt,
    long AffectedCount,
    double? ExecutionTimeMs,
    string? Error);
