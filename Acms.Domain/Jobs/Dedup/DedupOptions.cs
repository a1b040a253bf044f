using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// <c>Jobs:Dedup</c>. Duplicates are looked for within one user at a time. <see cref="JobOptions.BatchSize"/> is
/// <b>duplicate groups per merge transaction</b>; <see cref="UsersPerScan"/> is how many users' memories are read at a time.
/// </summary>
public sealed class DedupOptions : JobOptions
{
    public DedupOptions()
    {
        BatchSize = 500;
        Pace = BesideLiveTraffic;
    }

    /// <summary>Users whose memories are read (and grouped in memory) per scan batch.</summary>
    [Range(1, 100_000)]
    public int UsersPerScan { get; set; } = 25;

    /// <summary>False: only texts equal after normalization are merged (no typo/filler-word candidates, no MinHash pass).</summary>
    public bool SimilarityEnabled { get; set; } = true;

    /// <summary>
    /// Jaccard similarity of the character 3-gram sets of two candidate keys at or above which the MinHash pass proposes
    /// them as a candidate pair; 1.0 = texts equal after normalization only. A candidate is merged only when
    /// <see cref="SameMeaningRule"/> says both say the same thing.
    /// </summary>
    [Range(0.5, 1.0)]
    public double SimilarityThreshold { get; set; } = 0.95;

    /// <summary>MinHash signature length; bands × rows are derived from it and the threshold.</summary>
    [Range(16, 512)]
    public int MinHashFunctions { get; set; } = 128;

    /// <summary>Users grouped in parallel; 0 = one per processor.</summary>
    [Range(0, 256)]
    public int Parallelism { get; set; }
}
