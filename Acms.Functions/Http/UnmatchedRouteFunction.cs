using Acms.Domain.Common;
using Acms.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Http;

/// <summary>
/// The catch-all route. The host's router prefers every literal and parameter route over a catch-all, so a request
/// reaches this only when no function has its path and method: an unknown job, an empty path segment, a wrong method.
/// Without it the host answers those itself with a bare 404 that no caller can branch on; here they get the same
/// problem documents as every other error (404 <c>not_found</c>, or 405 <c>method_not_allowed</c> with an Allow header).
/// Anonymous: it serves no data, and a key would not change the answer.
/// </summary>
public sealed class UnmatchedRouteFunction
{
    private const int MaxPathShown = 120;

    [Function(nameof(UnmatchedRoute))]
    public IActionResult UnmatchedRoute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = HttpRoutes.UnmatchedRoute)] HttpRequest request)
    {
        var path = request.RouteValues.TryGetValue("rest", out var rest) ? rest as string ?? "" : "";
        var allowed = HttpRoutes.MethodsAt(path);
        if (allowed.Count > 0)
        {
            throw new MethodNotAllowedException(request.Method.ToUpperInvariant(), allowed);
        }

        throw new NotFoundException("Route", "/api/" + (path.Length > MaxPathShown ? path[..MaxPathShown] + "…" : path));
    }
}
