using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.WeeklyReport;

/// <summary><c>Jobs:WeeklyReport</c>. Its report rules reach the on-demand reports too, through <see cref="Insights.IntelligenceSettings"/>.</summary>
public sealed class WeeklyReportOptions : JobOptions
{
    public WeeklyReportOptions() => BatchSize = 200;

    /// <summary>A topic asked this many times in the period gets "create a knowledge-base entry".</summary>
    [Range(1, 1_000_000)]
    public int KnowledgeBaseMinQuestions { get; set; } = 5;

    /// <summary>Average cost per query above which a cost recommendation is made.</summary>
    [Range(0.0, 1_000.0)]
    public double CostThresholdUsd { get; set; } = 0.05;
}
