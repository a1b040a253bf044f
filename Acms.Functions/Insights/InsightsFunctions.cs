using Acms.Domain.Insights;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Insights;

public sealed class InsightsFunctions(InsightsSummaryService insights, OrgKnowledgeQueries knowledge)
{
    /// <summary>GET /api/v2/insights/summary?period_days=7[&amp;user_id=]: the organisation's, or one user's, top topics, insights and recommendations.</summary>
    [Function(nameof(InsightsSummary))]
    public async Task<IActionResult> InsightsSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/summary")] HttpRequest request, CancellationToken cancellationToken)
    {
        var days = QueryParameters.WholeNumber(request.Query, "period_days", 7, 1, 365);
        var userId = QueryParameters.Uuid(request.Query, "user_id");
        var summary = await insights.GetAsync(days, userId, cancellationToken);
        return ApiResponse.Ok(summary.Data, summary.Meta);
    }

    /// <summary>GET /api/v2/insights/org-knowledge?limit=: topics asked across several users (counts; PUBLIC sample questions only).</summary>
    [Function(nameof(OrgKnowledge))]
    public async Task<IActionResult> OrgKnowledge(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/org-knowledge")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResponse.Ok(await knowledge.ListAsync(QueryParameters.WholeNumber(request.Query, "limit", 20, 1, OrgKnowledgeQueries.MaxLimit), cancellationToken));
}
