namespace Acms.Domain.Runs;

/// <summary>The run a job is running now.</summary>
public sealed record RunningRun(Guid RunId, DateTime StartedAt, string Trigger, JobRunProgress Progress);
