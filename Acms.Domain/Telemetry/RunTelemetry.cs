using System.Diagnostics;
using Acms.Domain.Jobs;

namespace Acms.Domain.Telemetry;

/// <summary>
/// One run's span and its batch spans. Jobs report each committed batch through <see cref="JobContext.AddAffected"/>, the
/// one place every batch passes, so a batch span is recorded there, after the fact: it covers the time since the previous
/// commit (or the run's start), which is when that batch's statements ran, and carries its row count.
/// </summary>
public sealed class RunTelemetry : IDisposable
{
    private readonly string _job;
    private readonly Activity? _run;
    private readonly Lock _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private DateTime _lastCommitUtc;
    private long _lastCommitTimestamp;
    private int _batches;

    internal RunTelemetry(string job, Activity? run)
    {
        _job = job;
        _run = run;
        _lastCommitTimestamp = _started;
        // Span times are wall-clock, as OpenTelemetry records them; the run's own instants still come from the TimeProvider.
        _lastCommitUtc = run?.StartTimeUtc ?? DateTime.UtcNow;
    }

    /// <summary>Records one committed batch of <paramref name="rows"/> rows.</summary>
    public void BatchCommitted(long rows)
    {
        DateTime from, to;
        double seconds;
        int number;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            seconds = Stopwatch.GetElapsedTime(_lastCommitTimestamp, now).TotalSeconds;
            from = _lastCommitUtc;
            to = from.AddSeconds(seconds);
            _lastCommitTimestamp = now;
            _lastCommitUtc = to;
            number = ++_batches;
        }

        JobTelemetry.BatchCommitted(_job, seconds);
        if (_run is null)
        {
            return;
        }

        using var batch = JobTelemetry.Source.StartActivity($"batch {_job}", ActivityKind.Internal, _run.Context, startTime: new DateTimeOffset(from));
        if (batch is null)
        {
            return;
        }

        batch.SetTag("acms.job", _job);
        batch.SetTag("acms.batch", number);
        batch.SetTag("acms.batch.rows", rows);
        batch.SetTag("acms.batch.duration_ms", Math.Round(seconds * 1000, 1));
        batch.SetEndTime(to);
    }

    /// <summary>Closes the run span with its outcome and records the run metrics.</summary>
    public void Finish(JobTrigger trigger, JobRunStatus status, long affected, string? error)
    {
        var duration = Stopwatch.GetElapsedTime(_started);
        JobTelemetry.Finished(_job, trigger, status, duration, affected);
        if (_run is null)
        {
            return;
        }

        _run.SetTag("acms.status", status.ToString().ToLowerInvariant());
        _run.SetTag("acms.affected", affected);
        _run.SetTag("acms.batches", _batches);
        if (status == JobRunStatus.Failed)
        {
            _run.SetStatus(ActivityStatusCode.Error, error);
        }
    }

    public void Dispose() => _run?.Dispose();
}
