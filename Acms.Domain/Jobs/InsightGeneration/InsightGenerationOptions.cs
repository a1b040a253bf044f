using System.ComponentModel.DataAnnotations;
using Acms.Domain.Insights;

namespace Acms.Domain.Jobs.InsightGeneration;

/// <summary><c>Jobs:InsightGeneration</c>. Every threshold of the insight rules is here.</summary>
public sealed class InsightGenerationOptions : JobOptions
{
    public InsightGenerationOptions() => BatchSize = 500;

    /// <summary>Days analysed, ending at the start of the run's UTC day, compared with the same number of days before.</summary>
    [Range(1, 365)]
    public int PeriodDays { get; set; } = 7;

    /// <summary>A topic UP by more than this percentage is an emerging theme.</summary>
    [Range(0.0, 10_000.0)]
    public double EmergingThresholdPercent { get; set; } = 25;

    /// <summary>Changes within ± this percentage are STABLE.</summary>
    [Range(0.0, 100.0)]
    public double StableBandPercent { get; set; } = 10;

    /// <summary>Questions a topic needs in the period before it can be emerging or new (at least 2: a topic seen in one question never is).</summary>
    [Range(2, 1_000_000)]
    public int MinTopicQueries { get; set; } = 2;

    /// <summary>Average <c>est_cost_usd</c> per query above which a cost insight is raised.</summary>
    [Range(0.0, 1_000.0)]
    public double CostThresholdUsd { get; set; } = 0.05;

    /// <summary>Cache hit rate below which (with more than <see cref="CacheMinQueries"/> queries) a productivity insight is raised.</summary>
    [Range(0.0, 1.0)]
    public double CacheHitRateThreshold { get; set; } = 0.20;

    [Range(0, 1_000_000)]
    public int CacheMinQueries { get; set; } = 10;

    /// <summary>The same normalized question asked this many times is a knowledge gap.</summary>
    [Range(2, 1_000_000)]
    public int RecurringMinRepeats { get; set; } = 3;

    /// <summary>A topic asked by at least this many users goes into <c>org_knowledge</c>.</summary>
    [Range(1, 1_000_000)]
    public int OrgKnowledgeMinUsers { get; set; } = 3;

    [Range(1, 100)]
    public int TopTopics { get; set; } = 10;

    public InsightThresholds Thresholds => new(
        EmergingThresholdPercent, StableBandPercent, MinTopicQueries, CostThresholdUsd, CacheHitRateThreshold, CacheMinQueries, RecurringMinRepeats, TopTopics);
}
