using System.Text.Json;

namespace Acms.Domain.Runs;

/// <summary>One run in full: the ledger row, its progress and its result JSON (with a dry run's groups).</summary>
public sealed record JobRunDetail(
    Guid RunId,
    string Job,
    string Trigger,
    string Status,
    bool DryRun,
    DateTime StartedAt,
    DateTime? CompletedAt,
    long AffectedCount,
    long InputCount,
    long OutputCount,
    long ErrorCount,
    double? ExecutionTimeMs,
    string? Error,
    string? Host,
    JobRunProgress Progress,
    JsonElement? Result);
