using System.Text.Json;
using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Domain.Reports;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Reports;

/// <summary>The reports API in both route families (function key: <c>v2/…</c>; sign-in: <c>signed-in/v2/…</c>), one handler each.</summary>
public sealed class ReportsFunctions(ReportService reports)
{
    /// <summary>POST /api/v2/reports/generate: generates (or replaces) a report for a period and returns it rendered (JSON in the envelope).</summary>
    [Function(nameof(GenerateReport))]
    public Task<IActionResult> GenerateReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/reports/generate")] HttpRequest request, CancellationToken cancellationToken) =>
        GenerateAsync(request, cancellationToken);

    [Function(nameof(SignedInGenerateReport))]
    public Task<IActionResult> SignedInGenerateReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signed-in/v2/reports/generate")] HttpRequest request, CancellationToken cancellationToken) =>
        GenerateAsync(request, cancellationToken);

    /// <summary>GET /api/v2/reports[?scope=&amp;user_id=&amp;limit=]: stored reports, newest first (a person sees their own and the organisation's).</summary>
    [Function(nameof(ListReports))]
    public Task<IActionResult> ListReports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/reports")] HttpRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, cancellationToken);

    [Function(nameof(SignedInListReports))]
    public Task<IActionResult> SignedInListReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/reports")] HttpRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, cancellationToken);

    /// <summary>GET /api/v2/reports/{id}[?format=json|markdown|html]: one stored report (another user's is a 404, as if absent).</summary>
    [Function(nameof(GetReport))]
    public Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/reports/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        GetAsync(request, id, cancellationToken);

    [Function(nameof(SignedInGetReport))]
    public Task<IActionResult> SignedInGetReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/reports/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        GetAsync(request, id, cancellationToken);

    private async Task<IActionResult> GenerateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The body is the domain's ReportRequest in snake_case; its values are validated by ReportService.
        var body = (request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync<ReportRequest>(request.Body, Json.Options, cancellationToken)) ?? new ReportRequest();
        var caller = await AccessControl.CallerAsync(request, cancellationToken);
        var org = string.Equals(body.Scope?.Trim(), "org", StringComparison.OrdinalIgnoreCase);
        if (!org && body.UserId is null && caller.UserId is { } own)
        {
            body = body with { UserId = own }; // a signed-in person's report is their own by default
        }

        AccessControl.Demand(caller, org ? AccessScope.OrgData : caller.ScopeOf(body.UserId), AccessAction.Write);
        var rendered = await reports.GenerateAsync(body, cancellationToken);
        return Document(rendered.Content, rendered.ContentType);
    }

    private async Task<IActionResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = QueryParameters.WholeNumber(request.Query, "limit", 20, 1, ReportService.MaxListLimit);
        var userId = QueryParameters.Uuid(request.Query, "user_id");
        var caller = await AccessControl.CallerAsync(request, cancellationToken);
        AccessControl.Demand(caller, caller.ScopeOf(userId), AccessAction.Read);
        var visibleTo = caller.SeesEveryUser ? null : caller.UserId;
        return ApiResponse.Ok((await reports.ListAsync(request.Query["scope"], userId, limit, visibleTo, cancellationToken)).Data);
    }

    private async Task<IActionResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var reportId = QueryParameters.RouteGuid(id, "id", "a report id");

        // A caller who may read no report at all is told so before any lookup, so ids cannot be probed.
        var caller = await AccessControl.DemandAsync(request, AccessScope.OrgData, AccessAction.Read, cancellationToken);
        var report = await reports.GetAsync(reportId, cancellationToken);
        if (!caller.May(report.Scope == "org" ? AccessScope.OrgData : caller.ScopeOf(report.UserId), AccessAction.Read))
        {
            throw new NotFoundException("report", reportId.ToString()); // another user's report answers exactly like a missing one
        }

        var (content, contentType) = ReportService.Render(report, string.IsNullOrEmpty(request.Query["format"]) ? ReportFormats.Json : request.Query["format"].ToString());
        return Document(content, contentType);
    }

    // A rendered report: JSON is already the envelope ({"data": report}); markdown and HTML are documents.
    private static ContentResult Document(string content, string contentType) =>
        new() { Content = content, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
}
