using Acms.Domain.Telemetry;

namespace Acms.Domain.Jobs;

/// <summary>What a job knows of its run; the job reports progress here as each batch commits.</summary>
public sealed class JobContext(Guid runId, JobTrigger trigger, bool dryRun, DateTime now)
{
    public Guid RunId { get; } = runId;
    public JobTrigger Trigger { get; } = trigger;
    public bool DryRun { get; } = dryRun;

    /// <summary>The run's reference time (UTC), fixed at start: every job computes ages against it.</summary>
    public DateTime Now { get; } = now;

    /// <summary>The job's <see cref="JobOptions.Pace"/>: rest after each batch, as a multiple of the batch's time.</summary>
    public double Pace { get; init; }

    /// <summary>The run's hold on its job, set by the runner; null when a job is executed outside it (tests).</summary>
    public Leases.JobLease? Lease { get; internal set; }

    private int _batches;
    private long _affected;
    private long _input;
    private long _output;
    private long _errors;
    private long _committedBatches;

    public long AffectedCount => Interlocked.Read(ref _affected);
    public long InputCount => Interlocked.Read(ref _input);
    public long OutputCount => Interlocked.Read(ref _output);
    public long ErrorCount => Interlocked.Read(ref _errors);

    /// <summary>Batches committed so far (those reported through <see cref="CommitBatch"/>).</summary>
    public long Batches => Interlocked.Read(ref _committedBatches);

    /// <summary>Raised after each committed batch, possibly from several threads; the runner writes it to the ledger as live progress.</summary>
    public event EventHandler? BatchCommitted;

    /// <summary>The job's own figures, serialised at the top level of the run result.</summary>
    public Dictionary<string, object?> Details { get; } = [];

    /// <summary>The next batch's number in this run (1, 2, …).</summary>
    public int NextBatchNumber() => Interlocked.Increment(ref _batches);

    /// <summary>The run's span: each call to <see cref="AddAffected"/> is one committed batch.</summary>
    internal RunTelemetry? Telemetry { get; init; }

    /// <summary>Called once per committed batch (or once with the total by jobs that count at the end, and by dry runs).</summary>
    public void AddAffected(long count)
    {
        Interlocked.Add(ref _affected, count);
        Telemetry?.BatchCommitted(count);
    }
    public void AddInput(long count) => Interlocked.Add(ref _input, count);
    public void AddOutput(long count) => Interlocked.Add(ref _output, count);
    public void AddErrors(long count) => Interlocked.Add(ref _errors, count);

    /// <summary>A batch committed, affecting <paramref name="affected"/> rows: counts them and reports the run's progress.</summary>
    public void CommitBatch(long affected)
    {
        AddAffected(affected);
        Interlocked.Increment(ref _committedBatches);
        BatchCommitted?.Invoke(this, EventArgs.Empty);
    }
}
