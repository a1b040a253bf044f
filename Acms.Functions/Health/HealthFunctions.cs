using Acms.Domain.Health;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Health;

/// <summary>
/// Health for probes and people. <c>GET /api/health</c> is anonymous (an availability test or a load balancer needs no
/// key) and says only healthy or unhealthy; <c>GET /api/health/details</c> needs a function key and gives every check
/// with its reason. Both answer 200 when healthy and 503 when not.
/// </summary>
public sealed class HealthFunctions(HealthService health)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return Answer(report, new { status = report.Status });
    }

    [Function(nameof(HealthDetails))]
    public async Task<IActionResult> HealthDetails(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/details")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return Answer(report, report);
    }

    private static JsonResult Answer(HealthReport report, object data)
    {
        var answer = ApiResponse.Ok(data);
        answer.StatusCode = report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return answer;
    }
}
