using System.Text.Json;
using Acms.Domain.Jobs.Pausing;

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

/// <summary>A run's live progress: rows so far, batches committed, when the last one did, and time since the start.</summary>
public sealed record JobRunProgress(long Rows, long Batches, DateTime? LastBatchAt, double ElapsedMs);

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

/// <summary>The run a job is running now.</summary>
public sealed record RunningRun(Guid RunId, DateTime StartedAt, string Trigger, JobRunProgress Progress);

public sealed record JobStatus(
    string Id,
    string Name,
    string Schedule,
    string ScheduleSetting,
    string ScheduleText,
    DateTime? NextRun,
    bool Enabled,
    bool Paused,
    JobPause? Pause,
    bool Running,
    RunningRun? RunningRun,
    JobRunSummary? LastRun,
    DateTime? LastSuccessAt);

public sealed record JobStatusReport(DateTime GeneratedAt, IReadOnlyList<JobStatus> Jobs);

/// <summary>The runs list's filters, validated: a job, status or trigger the ledger cannot hold is rejected, not ignored.</summary>
public sealed record JobRunFilter(string? Job = null, string? Status = null, string? Trigger = null, int Limit = 50);
