namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Which rows of query_history one run walks, and how far each batch moves the watermark. A run walks the undated rows
/// (by id) and then the dated rows by <c>(created_at, query_id)</c>, starting at the watermark minus the late-arrival
/// window; with no watermark, or when the last full sweep is older than the sweep interval, it walks every dated row.
/// Pure: decided from the stored watermark, the options and the run's clock.
/// </summary>
internal sealed class TopicWalkPlan
{
    public static readonly DateTime Beginning = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

    private TopicWalkPlan(DateTime now, bool fullSweep, DateTime datedStart) => (Now, FullSweep, DatedStart) = (now, fullSweep, datedStart);

    public DateTime Now { get; }

    public bool FullSweep { get; }

    /// <summary>The key after which the dated walk starts (<see cref="Beginning"/> for a full sweep).</summary>
    public DateTime DatedStart { get; }

    /// <summary>For the run's details: <c>beginning</c> or the round-trip timestamp the dated walk starts after.</summary>
    public string WalkFrom => DatedStart == Beginning ? "beginning" : DatedStart.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The two walks of a run, in order: the undated rows first, then the dated ones.</summary>
    public IEnumerable<(bool Dated, DateTime AfterAt)> Walks => [(false, Beginning), (true, DatedStart)];

    public static TopicWalkPlan Create(TopicExtractionWatermark? watermark, DateTime now, TimeSpan lateArrivalWindow, TimeSpan fullSweepInterval)
    {
        now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var fullSweep = watermark?.LastFullSweepAt is not { } swept || now - DateTime.SpecifyKind(swept, DateTimeKind.Utc) >= fullSweepInterval;
        var window = lateArrivalWindow > TimeSpan.Zero ? lateArrivalWindow : TimeSpan.Zero;
        var datedStart = Beginning;
        if (!fullSweep && watermark is not null)
        {
            var at = DateTime.SpecifyKind(watermark.CreatedAt, DateTimeKind.Utc);
            datedStart = at - Beginning > window ? at - window : Beginning;
        }

        return new TopicWalkPlan(now, fullSweep, datedStart);
    }

    /// <summary>The key the next batch of a walk starts after: the last candidate of this one.</summary>
    public static (DateTime AfterAt, Guid AfterId) Next(TopicSourceRow last) => Key(last.CreatedAt, last.QueryId);

    /// <summary>A row's walk key: its created_at as UTC (<see cref="Beginning"/> for an undated row) and its id.</summary>
    public static (DateTime At, Guid Id) Key(DateTime? createdAt, Guid queryId) =>
        (createdAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : Beginning, queryId);

    /// <summary>
    /// Where the watermark moves once a batch is committed. Only a dated walk moves it: it has examined every row up to
    /// its last candidate. Never past the run's start, so one row dated in the future does not push rows that arrive
    /// later out of the window.
    /// </summary>
    public (DateTime At, Guid Id)? AdvanceTo(bool dated, TopicSourceRow last)
    {
        if (!dated || last.CreatedAt is not { } lastAt)
        {
            return null;
        }

        var lastUtc = DateTime.SpecifyKind(lastAt, DateTimeKind.Utc);
        return lastUtc <= Now ? (lastUtc, last.QueryId) : (Now, Guid.Empty);
    }
}
