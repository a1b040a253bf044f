using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Domain.Insights;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Insights;

public sealed class InsightsFunctions(InsightsSummaryService insights)
{
    /// <summary>GET /api/v2/insights/summary?period_days=7[&amp;user_id=]: the organisation's, or one user's, top topics, insights and recommendations.</summary>
    [Function(nameof(InsightsSummary))]
    public Task<IActionResult> InsightsSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/insights/summary")] HttpRequest request, CancellationToken cancellationToken) =>
        SummaryAsync(request, cancellationToken);

    /// <summary>GET /api/signed-in/v2/insights/summary: the same for a signed-in caller (own user id or the organisation).</summary>
    [Function(nameof(SignedInInsightsSummary))]
    public Task<IActionResult> SignedInInsightsSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/insights/summary")] HttpRequest request, CancellationToken cancellationToken) =>
        SummaryAsync(request, cancellationToken);

    private Task<IActionResult> SummaryAsync(HttpRequest request, CancellationToken cancellationToken) =>
        DomainErrors.HandleAsync(async () =>
        {
            if (!QueryParameters.TryGetInt(request.Query, "period_days", 7, 1, 365, out var days, out var problem)
                || !QueryParameters.TryGetGuid(request.Query, "user_id", out var userId, out problem))
            {
                return problem!;
            }

            var caller = await AccessControl.CallerAsync(request, cancellationToken);
            if (AccessControl.Check(caller, caller.ScopeOf(userId), AccessAction.Read) is { } denied)
            {
                return denied;
            }

            return new JsonResult(await insights.GetAsync(days, userId, cancellationToken), Json.Options);
        });
}
