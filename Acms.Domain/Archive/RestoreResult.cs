namespace Acms.Domain.Archive;

/// <param name="ConflictingMemoryId">For <see cref="RestoreStatus.ContentConflict"/>: the memory holding the same content.</param>
/// <param name="MergedInto">For a memory merged away by dedup: the survivor it had been merged into.</param>
public sealed record RestoreResult(RestoreStatus Status, Guid MemoryId, int OutcomesRestored, Guid? ConflictingMemoryId, Guid? MergedInto, string Message);
