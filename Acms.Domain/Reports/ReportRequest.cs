namespace Acms.Domain.Reports;

/// <summary>
/// A request to generate a report, as received (strings are validated by <see cref="ReportService"/>).
/// report_type weekly (default: the previous ISO week), monthly (the previous calendar month) or custom (both dates
/// required); scope user (user_id required) or org; period_end is exclusive; format json, markdown or html.
/// </summary>
public sealed record ReportRequest(
    string? ReportType = "weekly",
    string? Scope = "user",
    Guid? UserId = null,
    string? PeriodStart = null,
    string? PeriodEnd = null,
    string? Format = "json");
