using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs;

/// <summary>Settings every job has. Bound from <c>Jobs:&lt;Job&gt;</c>; the schedule from the job's flat schedule setting.</summary>
public abstract class JobOptions : IValidatableObject
{
    /// <summary>False stops scheduled runs (recorded as skipped); manual runs (HTTP, CLI) still run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A run is cancelled after this long and recorded as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Rows per transaction.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 10_000;

    /// <summary>
    /// Rest after each committed batch, as a multiple of the time that batch took: 1 = the job works at most half of its
    /// run and leaves the rest of the database's CPU and WAL to live traffic (what PostgreSQL's vacuum cost delay does for
    /// vacuum). 0 = no rest, for runs in a quiet window. The lease's heartbeat goes on while the job rests.
    /// </summary>
    [Range(0.0, 10.0)]
    public double Pace { get; set; }

    /// <summary>
    /// The <see cref="Pace"/> of the jobs that rewrite many rows (decay, dedup, cleanup, topic extraction). Each batch's
    /// commit makes the ACMS API's commits wait for the batch's WAL to reach the disk, so a job that commits back to
    /// back stalls the API's writes again and again; resting three times as long as each batch took leaves three
    /// quarters of the run to the API. At 200k memories (faults/results.md § 6, T14) the API writer's p99 during a run
    /// fell from 2.6–27× its idle p99 to 1.6–2.5× (topic extraction, also in smaller batches: 13.6–28× → about 3×),
    /// for a run about four times as long; resting five times as long gained nothing more. Topic extraction's remaining
    /// bursts came from the work it did beside the rest (reading and analysing the next batch): resting for that work too
    /// took it from 2.9–4.5× to 1.72× and 1.86× (faults/results.md § 6, T19).
    /// </summary>
    protected const double BesideLiveTraffic = 3;

    /// <summary>
    /// Six-field NCRONTAB (seconds first), UTC. Set only from the job's flat schedule setting (<c>DecaySchedule</c>), the one
    /// the Functions timer reads as <c>%DecaySchedule%</c>; <c>Jobs:&lt;Job&gt;:Schedule</c> is rejected at start.
    /// </summary>
    public string Schedule { get; set; } = "";

    /// <summary>Tries of a failed scheduled run (timer or scheduler), the first included; 1 = no retry.</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the first retry; each further retry waits three times longer (5 and 15 minutes by default).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before try <paramref name="attempt"/> (2, 3, …) of a failed scheduled run.</summary>
    public TimeSpan DelayBefore(int attempt) => RetryDelay * Math.Pow(3, attempt - 2);

    /// <summary>How long after its scheduled time a run, with all its retries, can still succeed: health waits this long.</summary>
    public TimeSpan LongestScheduledRun() =>
        Timeout * MaxAttempts + Enumerable.Range(2, MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, attempt) => sum + DelayBefore(attempt));

    /// <summary>The flat setting the schedule came from, named in validation messages.</summary>
    internal string ScheduleSetting { get; set; } = "Schedule";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Timeout must be positive.", [nameof(Timeout)]);
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("RetryDelay must not be negative.", [nameof(RetryDelay)]);
        }

        if (JobSchedule.Validate(Schedule) is { } problem)
        {
            yield return new ValidationResult($"{ScheduleSetting} '{Schedule}' {problem}.", [nameof(Schedule)]);
        }

        foreach (var result in ValidateJob())
        {
            yield return result;
        }
    }

    protected virtual IEnumerable<ValidationResult> ValidateJob() => [];
}
