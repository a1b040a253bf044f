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
    /// <summary>POST /api/v2/reports/generate: generates (or replaces) a report for a period and returns it rendered (JSON in the envelope).</summary>
    [Function(nameof(GenerateReport))]
    public async Task<IActionResult> GenerateReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/reports/generate")] HttpRequest request, CancellationToken cancellationToken)
    {
        // The body is the domain's ReportRequest in snake_case; its values are validated by ReportService.
        var body = request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync<ReportRequest>(request.Body, Json.Options, cancellationToken);
        var rendered = await reports.GenerateAsync(body ?? new ReportRequest(), cancellationToken);
        return Document(rendered.Content, rendered.ContentType);
    }

    /// <summary>GET /api/v2/reports[?scope=&amp;user_id=&amp;limit=]: stored reports, newest first.</summary>
    [Function(nameof(ListReports))]
    public async Task<IActionResult> ListReports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/reports")] HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = QueryParameters.WholeNumber(request.Query, "limit", 20, 1, ReportService.MaxListLimit);
        var userId = QueryParameters.Uuid(request.Query, "user_id");
        return ApiResponse.Ok((await reports.ListAsync(request.Query["scope"], userId, limit, cancellationToken)).Data);
    }

    /// <summary>GET /api/v2/reports/{id}[?format=json|markdown|html]: one stored report.</summary>
    [Function(nameof(GetReport))]
    public async Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/reports/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var report = await reports.GetAsync(QueryParameters.RouteGuid(id, "id", "a report id"), cancellationToken);
        var (content, contentType) = ReportService.Render(report, string.IsNullOrEmpty(request.Query["format"]) ? ReportFormats.Json : request.Query["format"].ToString());
        return Document(content, contentType);
    }

    // A rendered report: JSON is already the envelope ({"data": report}); markdown and HTML are documents.
    private static ContentResult Document(string content, string contentType) =>
        new() { Content = content, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
}
