namespace Acms.Domain.Insights;

public sealed record InsightsSummary(InsightsSummaryData Data, InsightsSummaryMeta Meta);
