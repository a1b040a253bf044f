using Acms.Domain.Access;
using Acms.Domain.Users;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Users;

/// <summary>The user directory in both route families: it names other users, so administrators and automation only.</summary>
public sealed class UsersFunctions(UserDirectory users)
{
    /// <summary>GET /api/v2/users?limit=&amp;q=: users by username (id, username, display name, active), for pickers.</summary>
    [Function(nameof(ListUsers))]
    public Task<IActionResult> ListUsers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/users")] HttpRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, cancellationToken);

    [Function(nameof(SignedInListUsers))]
    public Task<IActionResult> SignedInListUsers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/users")] HttpRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, cancellationToken);

    private async Task<IActionResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await AccessControl.DemandAsync(request, AccessScope.OtherUserData, AccessAction.Read, cancellationToken);
        return ApiResponse.Ok(await users.ListAsync(request.Query["q"], QueryParameters.WholeNumber(request.Query, "limit", 100, 1, UserDirectory.MaxLimit), cancellationToken));
    }
}
