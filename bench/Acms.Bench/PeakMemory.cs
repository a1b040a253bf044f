namespace Acms.Bench;

/// <summary>Samples this process's resident set (and managed heap) every few milliseconds while a job runs in it.</summary>
public sealed class PeakMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakRss;
    private long _peakManaged;

    private PeakMemory()
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try
                {
                    await Task.Delay(10, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>Collects garbage left by earlier phases (dataset load) so the figure belongs to the job, then starts sampling.</summary>
    public static PeakMemory Start()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return new PeakMemory();
    }

    public double PeakRssMb => Math.Round(Interlocked.Read(ref _peakRss) / 1024.0 / 1024.0, 1);
    public double PeakManagedMb => Math.Round(Interlocked.Read(ref _peakManaged) / 1024.0 / 1024.0, 1);

    private void Sample()
    {
        var rss = Environment.WorkingSet;
        var managed = GC.GetTotalMemory(false);
        if (rss > Interlocked.Read(ref _peakRss))
        {
            Interlocked.Exchange(ref _peakRss, rss);
        }

        if (managed > Interlocked.Read(ref _peakManaged))
        {
            Interlocked.Exchange(ref _peakManaged, managed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Sample();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
