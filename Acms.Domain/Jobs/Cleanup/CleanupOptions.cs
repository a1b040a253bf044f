using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.Cleanup;

/// <summary>
/// <c>Jobs:Cleanup</c>. Deletes (after archiving) <see cref="Tier"/> memories created more than <see cref="AgeDays"/> days
/// ago whose outcome and frequency scores are both below their thresholds and that were not accessed in the last
/// <see cref="IdleDays"/> days; purges archive rows older than <see cref="ArchiveRetentionDays"/>.
/// <see cref="JobOptions.BatchSize"/> is memories (and archive rows) per transaction.
/// </summary>
public sealed class CleanupOptions : JobOptions
{
    /// <summary>A batch's memories stay locked until it commits, holding up the ACMS API's writes to them: see <see cref="Decay.DecayOptions"/>.</summary>
    public CleanupOptions()
    {
        BatchSize = 2_000;
        Pace = BesideLiveTraffic;
    }

    [Required]
    [AllowedValues("SHORT", "MID", "LONG")]
    public string Tier { get; set; } = "SHORT";

    /// <summary>Only memories created strictly more than this many days before the run.</summary>
    [Range(1, 36_500)]
    public int AgeDays { get; set; } = 30;

    /// <summary>Only memories never accessed, or last accessed strictly more than this many days before the run.</summary>
    [Range(0, 36_500)]
    public int IdleDays { get; set; } = 30;

    /// <summary>Only memories whose <c>outcome_score</c> is strictly below this.</summary>
    [Range(0.0, 1.0)]
    public double OutcomeScoreBelow { get; set; } = 0.5;

    /// <summary>Only memories whose <c>frequency_score</c> is strictly below this.</summary>
    [Range(0.0, 1.0)]
    public double FrequencyScoreBelow { get; set; } = 0.5;

    /// <summary>Archive rows (of any job) archived more than this many days before the run are purged; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int ArchiveRetentionDays { get; set; } = 30;

    /// <summary>
    /// <c>job_runs</c> rows (of every job) that started more than this many days before the run are purged, except each
    /// job's latest run and latest success; 0 keeps the history forever.
    /// </summary>
    [Range(0, 36_500)]
    public int RunHistoryRetentionDays { get; set; } = 90;
}
