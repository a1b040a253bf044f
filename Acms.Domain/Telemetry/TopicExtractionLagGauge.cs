using System.Diagnostics.Metrics;
using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Domain.Telemetry;

/// <summary>
/// The <c>acms.jobs.topic_extraction.lag</c> gauge: seconds since the oldest Q&amp;A not yet examined by topic extraction
/// was created (0 when up to date), read by one index probe each time the metrics are collected (every minute or so).
/// Its own <c>Acms.Jobs</c> meter, disposed with the provider that created it.
/// </summary>
public sealed class TopicExtractionLagGauge : IDisposable
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly Meter _meter = new(JobTelemetry.Name);
    private readonly TopicExtractionLag _lag;
    private readonly TimeProvider _time;

    public TopicExtractionLagGauge(TopicExtractionLag lag, TimeProvider time)
    {
        _lag = lag;
        _time = time;
        _meter.CreateObservableGauge("acms.jobs.topic_extraction.lag", Observe, "s", "Age of the oldest Q&A not yet examined by topic extraction.");
    }

    private IEnumerable<Measurement<double>> Observe()
    {
        DateTime? oldest;
        try
        {
            // The collector calls this synchronously on its own thread; the query is bounded by a short timeout.
            using var timeout = new CancellationTokenSource(QueryTimeout);
            oldest = _lag.OldestPendingAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            return []; // no reading this time: a gap in the series, not a false zero
        }

        var seconds = oldest is { } at ? Math.Max(0, (_time.GetUtcNow().UtcDateTime - at).TotalSeconds) : 0;
        return [new Measurement<double>(seconds)];
    }

    public void Dispose() => _meter.Dispose();
}
