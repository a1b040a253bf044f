using Acms.Domain.Common;
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
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/users")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryGetInt(request.Query, "limit", 100, 1, UserDirectory.MaxLimit, out var limit, out var problem))
        {
            return problem!;
        }

        return new JsonResult(new { data = await users.ListAsync(request.Query["q"], limit, cancellationToken) }, Json.Options);
    }
}
