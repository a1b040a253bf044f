using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Reports;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Reports;

public sealed class ReportsFunctions(ReportService reports)
{
    /// <summary>POST /api/v2/reports/generate: generates (or replaces) a report for a period and returns it rendered.</summary>
    [Function(nameof(GenerateReport))]
    public Task<IActionResult> GenerateReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/reports/generate")] HttpRequest request, CancellationToken cancellationToken) =>
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
                // The serializer's message names .NET types; the JSON path is what the caller needs.
                return Problems.BadRequest($"The body is not a valid report request{(ex.Path is { Length: > 0 } path ? $" (at {path})" : "")}.", ex.Path?.TrimStart('$', '.'));
            }

            var rendered = await reports.GenerateAsync(body ?? new ReportRequest(), cancellationToken);
            return new ContentResult { Content = rendered.Content, ContentType = rendered.ContentType, StatusCode = StatusCodes.Status200OK };
        });

    /// <summary>GET /api/v2/reports[?scope=&amp;user_id=&amp;limit=]: stored reports, newest first.</summary>
    [Function(nameof(ListReports))]
    public Task<IActionResult> ListReports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/reports")] HttpRequest request, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            if (!QueryParameters.TryGetInt(request.Query, "limit", 20, 1, ReportService.MaxListLimit, out var limit, out var problem)
                || !QueryParameters.TryGetGuid(request.Query, "user_id", out var userId, out problem))
            {
                return problem!;
            }

            return new JsonResult(await reports.ListAsync(request.Query["scope"], userId, limit, cancellationToken), Json.Options);
        });

    /// <summary>GET /api/v2/reports/{id}[?format=json|markdown|html]: one stored report.</summary>
    [Function(nameof(GetReport))]
    public Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/reports/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            if (!Guid.TryParse(id, out var reportId))
            {
                return Problems.BadRequest($"'{id}' is not a report id (a UUID).", "id");
            }

            var report = await reports.GetAsync(reportId, cancellationToken);
            var (content, contentType) = ReportService.Render(report, string.IsNullOrEmpty(request.Query["format"]) ? ReportFormats.Json : request.Query["format"].ToString());
            return new ContentResult { Content = content, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
        });
}
