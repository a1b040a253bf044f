using Acms.Domain.Users;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Users;

public sealed class UsersFunctions(UserDirectory users)
{
    /// <summary>GET /api/v2/users?limit=&amp;q=: users by username (id, username, display name, active), for pickers.</summary>
    [Function(nameof(ListUsers))]
    public async Task<IActionResult> ListUsers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/users")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResponse.Ok(await users.ListAsync(request.Query["q"], QueryParameters.WholeNumber(request.Query, "limit", 100, 1, UserDirectory.MaxLimit), cancellationToken));
}
