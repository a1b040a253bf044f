using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Insights;

/// <summary>
/// What the insight, summary and report services need of the jobs' settings, in one type owned here, so that no
/// service reads another job's option class. Filled at start by the service registration from the validated
/// <c>Jobs:TopicExtraction</c>, <c>Jobs:InsightGeneration</c>, <c>Jobs:WeeklyReport</c> and <c>Jobs:Cleanup</c>
/// settings (their keys stay where the README lists them), and validated again here.
/// </summary>
public sealed class IntelligenceSettings
{
    /// <summary>The topic extractor version whose extractions and rollups are read.</summary>
    [Required, StringLength(32, MinimumLength = 1)]
    public string ExtractorVersion { get; set; } = "";

    [Required]
    public InsightThresholds Thresholds { get; set; } = new();

    /// <summary>A topic asked this many times in the period gets "create a knowledge-base entry".</summary>
    [Range(1, 1_000_000)]
    public int KnowledgeBaseMinQuestions { get; set; } = 5;

    /// <summary>Average cost per query above which a report recommends reducing it.</summary>
    [Range(0.0, 1_000.0)]
    public double ReportCostThresholdUsd { get; set; } = 0.05;

    /// <summary>Days the archive keeps merged and cleaned memories (0 = forever): personal figures older than this are omitted.</summary>
    [Range(0, 36_500)]
    public int ArchiveRetentionDays { get; set; } = 30;
}
