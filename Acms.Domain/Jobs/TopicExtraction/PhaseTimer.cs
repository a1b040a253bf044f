using System.Diagnostics;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Busy time of one phase of a run (read, extract, write), summed over its batches. Phases overlap (the next batch is
/// read while the current one is written), so each phase keeps its own sum; safe to add to from several threads.
/// </summary>
internal sealed class PhaseTimer
{
    private long _ticks;

    public long Milliseconds => (long)Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)).TotalMilliseconds;

    /// <summary>Times until the returned lap is disposed: <c>using (timer.Start()) { ... }</c>.</summary>
    public Lap Start() => new(this, Stopwatch.GetTimestamp());

    public readonly struct Lap(PhaseTimer timer, long started) : IDisposable
    {
        public void Dispose() => Interlocked.Add(ref timer._ticks, Stopwatch.GetTimestamp() - started);
    }
}
