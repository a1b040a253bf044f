using Acms.Domain.Common;
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
    public Task<IActionResult> InsightsSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/summary")] HttpRequest request, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            if (!QueryParameters.TryGetInt(request.Query, "period_days", 7, 1, 365, out var days, out var problem)
                || !QueryParameters.TryGetGuid(request.Query, "user_id", out var userId, out problem))
            {
                return problem!;
            }

            return new JsonResult(await insights.GetAsync(days, userId, cancellationToken), Json.Options);
        });

    /// <summary>GET /api/v2/insights/org-knowledge?limit=: topics asked across several users (counts; PUBLIC sample questions only).</summary>
    [Function(nameof(OrgKnowledge))]
    public async Task<IActionResult> OrgKnowledge(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/org-knowledge")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetInt(request.Query, "limit", 20, 1, OrgKnowledgeQueries.MaxLimit, out var limit, out var problem))
        {
            return problem!;
        }

        return new JsonResult(new { data = await knowledge.ListAsync(limit, cancellationToken) }, Json.Options);
    }
}
