namespace Acms.Domain.Reports;

public sealed record ReportListItem(
    Guid Id, string ReportType, string Scope, Guid? UserId, DateTime PeriodStart, DateTime PeriodEnd, string Title, string Summary, DateTime CreatedAt);
