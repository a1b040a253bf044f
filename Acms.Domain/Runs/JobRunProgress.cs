namespace Acms.Domain.Runs;

/// <summary>A run's live progress: rows so far, batches committed, when the last one did, and time since the start.</summary>
public sealed record JobRunProgress(long Rows, long Batches, DateTime? LastBatchAt, double ElapsedMs);
