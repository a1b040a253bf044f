using System.Diagnostics;
using System.Diagnostics.Metrics;
using Acms.Domain.Jobs;

namespace Acms.Domain.Telemetry;

/// <summary>
/// The service's own OpenTelemetry signals, both named <c>Acms.Jobs</c>: a span per run with a child span per committed
/// batch, and the run, batch, lock and lag metrics. Plain <see cref="System.Diagnostics"/> types: nothing is recorded
/// unless a tracer or meter provider listens (the Functions worker, the CLI with <c>--telemetry</c>, a test).
/// </summary>
public static class JobTelemetry
{
    public const string Name = "Acms.Jobs";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("acms.jobs.runs", "{run}", "Finished runs by job, status and trigger.");
    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("acms.jobs.run.duration", "s", "Wall time of a run.");
    private static readonly Counter<long> RowsAffected = Meter.CreateCounter<long>("acms.jobs.rows_affected", "{row}", "Rows a run changed (or would change, dry run).");
    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("acms.jobs.batch.duration", "s", "Time from the previous commit of the run (or its start) to a batch's commit.");
    private static readonly Histogram<double> LeaseWait = Meter.CreateHistogram<double>("acms.jobs.lease.wait", "s", "Time to try to take the job's lease (one round trip, retried on transient faults).");
    private static readonly Counter<long> Skips = Meter.CreateCounter<long>("acms.jobs.skips", "{run}", "Runs not started: the job was already running (lease held), disabled or paused.");

    /// <summary>Starts the span of one run; the job's batches become its children through <see cref="JobContext"/>.</summary>
    public static RunTelemetry StartRun(string job, Guid runId, JobTrigger trigger, bool dryRun)
    {
        var activity = Source.StartActivity($"job {job}", ActivityKind.Internal);
        activity?.SetTag("acms.job", job);
        activity?.SetTag("acms.run_id", runId.ToString());
        activity?.SetTag("acms.trigger", Names.Of(trigger));
        activity?.SetTag("acms.dry_run", dryRun);
        return new RunTelemetry(job, activity);
    }

    public static void LeaseWaited(string job, TimeSpan waited, bool acquired)
    {
        LeaseWait.Record(waited.TotalSeconds, new("acms.job", job), new("acms.lease.acquired", acquired));
    }

    /// <summary>A skipped run; the reason's first words ("already running", "disabled: …") become a low-cardinality tag.</summary>
    public static void Skipped(string job, JobTrigger trigger, string reason)
    {
        var code = reason.Split([':', '('], 2)[0].Trim().Replace(' ', '_');
        Skips.Add(1, new("acms.job", job), new("acms.trigger", Names.Of(trigger)), new("acms.skip_reason", code));
        Runs.Add(1, new("acms.job", job), new("acms.status", "skipped"), new("acms.trigger", Names.Of(trigger)));
    }

    internal static void Finished(string job, JobTrigger trigger, JobRunStatus status, TimeSpan duration, long affected)
    {
        var jobTag = new KeyValuePair<string, object?>("acms.job", job);
        var statusTag = new KeyValuePair<string, object?>("acms.status", Names.Of(status));
        Runs.Add(1, jobTag, statusTag, new("acms.trigger", Names.Of(trigger)));
        RunDuration.Record(duration.TotalSeconds, jobTag, statusTag);
        RowsAffected.Add(affected, jobTag);
    }

    internal static void BatchCommitted(string job, double seconds) => BatchDuration.Record(seconds, new KeyValuePair<string, object?>("acms.job", job));

    private static class Names
    {
        public static string Of(JobTrigger trigger) => trigger.ToString().ToLowerInvariant();

        public static string Of(JobRunStatus status) => status.ToString().ToLowerInvariant();
    }
}
