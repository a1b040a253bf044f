using Acms.Domain.Insights;
using Acms.Domain.Reports;
using Acms.Domain.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Bench.Cases;

/// <summary>
/// The read APIs' queries, on a copy where topic extraction, insight generation and the weekly report have run
/// (untimed) and the ledger holds a year of runs.
/// </summary>
public static class ReadQueries
{
    /// <summary>Jobs run on the read copy first, so the summaries and report lists have data.</summary>
    public static IReadOnlyList<string> Prepare { get; } = ["topic_extraction", "insight_generation", "weekly_report"];

    public static IReadOnlyList<ReadQuery> All { get; } =
    [
        new("jobs status", "GET /api/v2/jobs/status → JobRunQueries.StatusAsync", 10,
            (sp, _, ct) => sp.GetRequiredService<JobRunQueries>().StatusAsync(ct)),
        new("runs list (all jobs, 50)", "GET /api/v2/jobs/runs?limit=50 → JobRunQueries.ListRunsAsync", null,
            (sp, _, ct) => sp.GetRequiredService<JobRunQueries>().ListRunsAsync(null, 50, ct)),
        new("runs list (decay, 50)", "GET /api/v2/jobs/runs?job=decay&limit=50 → JobRunQueries.ListRunsAsync", null,
            (sp, _, ct) => sp.GetRequiredService<JobRunQueries>().ListRunsAsync("decay", 50, ct)),
        new("insights summary (org, 7 days)", "GET /api/v2/insights/summary?period_days=7 → InsightsSummaryService.GetAsync", 50,
            (sp, _, ct) => sp.GetRequiredService<InsightsSummaryService>().GetAsync(7, null, ct)),
        new("insights summary (org, 30 days)", "GET /api/v2/insights/summary?period_days=30 → InsightsSummaryService.GetAsync", 50,
            (sp, _, ct) => sp.GetRequiredService<InsightsSummaryService>().GetAsync(30, null, ct)),
        new("insights summary (busiest user, 30 days)", "GET /api/v2/insights/summary?user_id=…&period_days=30 → InsightsSummaryService.GetAsync", 50,
            (sp, c, ct) => sp.GetRequiredService<InsightsSummaryService>().GetAsync(30, c.BusiestUser, ct)),
        new("reports list (50)", "GET /api/v2/reports?limit=50 → ReportService.ListAsync", null,
            (sp, _, ct) => sp.GetRequiredService<ReportService>().ListAsync(null, null, 50, ct)),
    ];
}
