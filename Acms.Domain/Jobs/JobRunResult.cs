using System.Text.Json.Serialization;

namespace Acms.Domain.Jobs;

/// <summary>The outcome of one run, in the seed's snake_case shape, stored as <c>job_runs.result</c>.</summary>
public sealed record JobRunResult
{
    public required string Job { get; init; }
    public required Guid RunId { get; init; }
    public required JobRunStatus Status { get; init; }
    public required JobTrigger Trigger { get; init; }
    public bool DryRun { get; init; }
    public long AffectedCount { get; init; }
    public double ExecutionTimeMs { get; init; }
    public required DateTime StartedAt { get; init; }
    public DateTime? CompletedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>When skipped because the job is already running: the run that holds it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? RunningRunId { get; init; }

    /// <summary>A scheduled run that started late, catching up a missed occurrence (once, however many were missed).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool PastDue => Origin.PastDue;

    /// <summary>1, or the retry number + 1 of a failed scheduled run.</summary>
    public int Attempt => Origin.Attempt;

    /// <summary>On a retry: the first try's run id.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? RetryOf => Origin.RetryOf;

    [JsonIgnore]
    public RunOrigin Origin { get; init; } = RunOrigin.Now;

    [JsonExtensionData]
    public Dictionary<string, object?> Details { get; init; } = [];
}
