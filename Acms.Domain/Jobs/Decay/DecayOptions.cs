using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.Decay;

/// <summary><c>Jobs:Decay</c>. Memories idle <see cref="GraceDays"/>+ days lose <see cref="Rate"/> per idle day, never below <see cref="Floor"/>.</summary>
public sealed class DecayOptions : JobOptions
{
    /// <summary>
    /// Every memory a batch decays stays locked until it commits, and the ACMS API's own updates of those rows
    /// (<c>last_accessed</c>, <c>access_count</c>) wait for it: at 200k memories a live writer's p99 was 376 ms with
    /// 10,000-row batches and 31–48 ms with 1,000 (faults/results.md, section 6).
    /// </summary>
    public DecayOptions()
    {
        BatchSize = 1_000;
        Pace = BesideLiveTraffic;
    }

    /// <summary>Fraction lost per idle day (0.05 = 5%).</summary>
    [Range(0.0001, 0.9999)]
    public double Rate { get; set; } = 0.05;

    /// <summary>Days of idleness before decay starts.</summary>
    [Range(0, 3650)]
    public int GraceDays { get; set; } = 7;

    /// <summary>Scores are not decayed below this; a score already below it is left as it is.</summary>
    [Range(0.0, 1.0)]
    public double Floor { get; set; } = 0.1;
}
