using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Insights;

namespace Acms.Domain.Reports;

/// <summary>A stored report as read (its JSON columns as text), and the <see cref="IntelligenceReport"/> it stands for.</summary>
internal sealed class ReportRow
{
    public Guid Id { get; set; }
    public string ReportType { get; set; } = "";
    public string Scope { get; set; } = "";
    public Guid? UserId { get; set; }
    public DateTime PeriodStart { get; set; }
    public DateTime PeriodEnd { get; set; }
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public string ExecutiveSummaryMd { get; set; } = "";
    public string TopTopics { get; set; } = "[]";
    public string Insights { get; set; } = "[]";
    public string Recommendations { get; set; } = "[]";
    public string Metrics { get; set; } = "{}";
    public string GeneratedBy { get; set; } = "";
    public double GenerationTimeMs { get; set; }
    public DateTime CreatedAt { get; set; }

    public IntelligenceReport ToReport() => new(
        Id, ReportType, Scope, UserId, PeriodStart, PeriodEnd, Title, Summary, ExecutiveSummaryMd,
        JsonSerializer.Deserialize<List<TopicTrend>>(TopTopics, Json.Options) ?? [],
        JsonSerializer.Deserialize<List<Insight>>(Insights, Json.Options) ?? [],
        JsonSerializer.Deserialize<List<Recommendation>>(Recommendations, Json.Options) ?? [],
        JsonSerializer.Deserialize<ReportMetrics>(Metrics, Json.Options) ?? new ReportMetrics(0, 0, 0, null, 0, null, null, null),
        GeneratedBy, GenerationTimeMs, CreatedAt);
}
