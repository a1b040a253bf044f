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
    /// <summary>POST /api/v2/reports/generate: generates (or replaces) a report for a period and returns it rendered.</summary>
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

    private Task<IActionResult> GenerateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            // The body is the domain's ReportRequest in snake_case; its values are validated by ReportService.
            ReportRequest? body;
            try
            {
                body = request.ContentLength == 0 ? new ReportRequest() : await JsonSerializer.DeserializeAsync<ReportRequest>(request.Body, Json.Options, cancellationToken);
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest($"The body is not a valid report request: {ex.Message}");
            }

            var caller = await AccessControl.CallerAsync(request, cancellationToken);
            var reportRequest = body ?? new ReportRequest();
            var org = string.Equals(reportRequest.Scope?.Trim(), "org", StringComparison.OrdinalIgnoreCase);
            if (!org && reportRequest.UserId is null && caller.UserId is { } own)
            {
                reportRequest = reportRequest with { UserId = own }; // a signed-in person's report is their own by default
            }

            if (AccessControl.Check(caller, org ? AccessScope.OrgData : caller.ScopeOf(reportRequest.UserId), AccessAction.Write) is { } denied)
            {
                return denied;
            }

            var rendered = await reports.GenerateAsync(reportRequest, cancellationToken);
            return new ContentResult { Content = rendered.Content, ContentType = rendered.ContentType, StatusCode = StatusCodes.Status200OK };
        });

    private Task<IActionResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            if (!QueryParameters.TryGetInt(request.Query, "limit", 20, 1, ReportService.MaxListLimit, out var limit, out var problem)
                || !QueryParameters.TryGetGuid(request.Query, "user_id", out var userId, out problem))
            {
                return problem!;
            }

            var caller = await AccessControl.CallerAsync(request, cancellationToken);
            if (AccessControl.Check(caller, caller.ScopeOf(userId), AccessAction.Read) is { } denied)
            {
                return denied;
            }

            var visibleTo = caller.SeesEveryUser ? null : caller.UserId;
            return new JsonResult(await reports.ListAsync(request.Query["scope"], userId, limit, visibleTo, cancellationToken), Json.Options);
        });

    private Task<IActionResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            if (!Guid.TryParse(id, out var reportId))
            {
                return Problems.BadRequest($"'{id}' is not a report id (a UUID).", "id");
            }

            // A caller who may read no report at all is told so before any lookup, so ids cannot be probed.
            var caller = await AccessControl.CallerAsync(request, cancellationToken);
            if (AccessControl.Check(caller, AccessScope.OrgData, AccessAction.Read) is { } denied)
            {
                return denied;
            }

            var report = await reports.GetAsync(reportId, cancellationToken);
            if (!caller.May(report.Scope == "org" ? AccessScope.OrgData : caller.ScopeOf(report.UserId), AccessAction.Read))
            {
                throw new NotFoundException("report", reportId.ToString()); // another user's report answers exactly like a missing one
            }

            var (content, contentType) = ReportService.Render(report, string.IsNullOrEmpty(request.Query["format"]) ? ReportFormats.Json : request.Query["format"].ToString());
            return new ContentResult { Content = content, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
        });
}
