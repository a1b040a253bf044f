namespace Acms.Domain.Reports;

public sealed record ReportList(IReadOnlyList<ReportListItem> Reports, int Count);
