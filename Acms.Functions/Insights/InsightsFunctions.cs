using Acms.Domain.Access;
using Acms.Domain.Insights;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Insights;

/// <summary>The insights API in both route families (function key: <c>v2/…</c>; sign-in: <c>signed-in/v2/…</c>), one handler each.</summary>
public sealed class InsightsFunctions(InsightsSummaryService insights, OrgKnowledgeQueries knowledge)
{
    /// <summary>GET /api/v2/insights/summary?period_days=7[&amp;user_id=]: the organisation's, or one user's, top topics, insights and recommendations.</summary>
    [Function(nameof(InsightsSummary))]
    public Task<IActionResult> InsightsSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/summary")] HttpRequest request, CancellationToken cancellationToken) =>
        SummaryAsync(request, cancellationToken);

    [Function(nameof(SignedInInsightsSummary))]
    public Task<IActionResult> SignedInInsightsSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/insights/summary")] HttpRequest request, CancellationToken cancellationToken) =>
        SummaryAsync(request, cancellationToken);

    /// <summary>GET /api/v2/insights/org-knowledge?limit=: topics asked across several users (counts; PUBLIC sample questions only).</summary>
    [Function(nameof(OrgKnowledge))]
    public Task<IActionResult> OrgKnowledge(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/org-knowledge")] HttpRequest request, CancellationToken cancellationToken) =>
        OrgKnowledgeAsync(request, cancellationToken);

    [Function(nameof(SignedInOrgKnowledge))]
    public Task<IActionResult> SignedInOrgKnowledge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/insights/org-knowledge")] HttpRequest request, CancellationToken cancellationToken) =>
        OrgKnowledgeAsync(request, cancellationToken);

    private async Task<IActionResult> SummaryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var days = QueryParameters.WholeNumber(request.Query, "period_days", 7, 1, 365);
        var userId = QueryParameters.Uuid(request.Query, "user_id");
        var caller = await AccessControl.CallerAsync(request, cancellationToken);
        AccessControl.Demand(caller, caller.ScopeOf(userId), AccessAction.Read);
        var summary = await insights.GetAsync(days, userId, cancellationToken);
        return ApiResponse.Ok(summary.Data, summary.Meta);
    }

    private async Task<IActionResult> OrgKnowledgeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await AccessControl.DemandAsync(request, AccessScope.OrgData, AccessAction.Read, cancellationToken);
        return ApiResponse.Ok(await knowledge.ListAsync(QueryParameters.WholeNumber(request.Query, "limit", 20, 1, OrgKnowledgeQueries.MaxLimit), cancellationToken));
    }
}
