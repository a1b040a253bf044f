using Acms.Domain.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Access;

/// <summary>Who the caller is and what the policy lets them do, so a client (the dashboard) shows only what they may use.</summary>
public sealed class CallerFunctions
{
    /// <summary>GET /api/v2/me: the caller behind a function key (automation, or the signed-in principal that came with it).</summary>
    [Function(nameof(Me))]
    public Task<IActionResult> Me(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/me")] HttpRequest request, CancellationToken cancellationToken) =>
        DescribeAsync(request, cancellationToken);

    /// <summary>GET /api/signed-in/v2/me: the signed-in caller; 401 without a trusted principal.</summary>
    [Function(nameof(SignedInMe))]
    public Task<IActionResult> SignedInMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/me")] HttpRequest request, CancellationToken cancellationToken) =>
        DescribeAsync(request, cancellationToken);

    private static async Task<IActionResult> DescribeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await AccessControl.CallerAsync(request, cancellationToken);
        if (caller.Kind == CallerKind.Anonymous) // anyone may ask who they are, as long as someone is calling
        {
            throw new AccessDeniedException(caller, AccessScope.OwnData, AccessAction.Read);
        }

        return ApiResponse.Ok(new
        {
            kind = caller.Kind,
            user_id = caller.UserId,
            name = caller.Name,
            may = new
            {
                read = AccessPolicy.ScopesFor(caller.Kind, AccessAction.Read),
                write = AccessPolicy.ScopesFor(caller.Kind, AccessAction.Write),
            },
        });
    }
}
