namespace Acms.Bench;

/// <summary>
/// Always <see cref="Dataset.Now"/>: the dataset's ages are relative to it, and the floor must use the same "now" as the job
/// for the end states to be comparable. Timers (the job timeout) still run on real time.
/// </summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
