using Acms.Domain.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Access;

/// <summary>
/// The one authorization component of the HTTP API. <see cref="AccessMiddleware"/> attaches the caller to each request;
/// every function asks <see cref="CheckAsync"/> (or <see cref="Check"/>) before it reads or changes anything, and the
/// answer comes from <see cref="AccessPolicy"/>. A request without an attached caller is anonymous: fail closed.
/// </summary>
public static class AccessControl
{
    private const string CallerKey = "acms.caller";

    public static Task<Caller> CallerAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.HttpContext.Items[CallerKey] is Func<CancellationToken, Task<Caller>> resolve ? resolve(cancellationToken) : Task.FromResult(Caller.Anonymous);

    /// <summary>Attaches a caller resolver to a request; it runs at most once, on first use.</summary>
    internal static void Attach(HttpContext context, Func<CancellationToken, Task<Caller>> resolve)
    {
        Task<Caller>? resolved = null;
        context.Items[CallerKey] = (Func<CancellationToken, Task<Caller>>)(ct => resolved ??= resolve(ct));
    }

    internal static void Attach(HttpContext context, Caller caller) => context.Items[CallerKey] = (Func<CancellationToken, Task<Caller>>)(_ => Task.FromResult(caller));

    /// <summary>Resolves the caller and checks one (scope, action); the problem to return when denied, else null.</summary>
    public static async Task<(Caller Caller, IActionResult? Denied)> CheckAsync(HttpRequest request, AccessScope scope, AccessAction action, CancellationToken cancellationToken)
    {
        var caller = await CallerAsync(request, cancellationToken);
        return (caller, Check(caller, scope, action));
    }

    public static IActionResult? Check(Caller caller, AccessScope scope, AccessAction action) =>
        caller.May(scope, action) ? null : Denied(caller, scope, action);

    public static ObjectResult Denied(Caller caller, AccessScope scope, AccessAction action) => caller.Kind switch
    {
        CallerKind.Anonymous => Unauthenticated(),
        CallerKind.UnknownPrincipal => Problems.Create(StatusCodes.Status403Forbidden, "Unknown user",
            $"You are signed in as '{caller.Name}', but no active ACMS user matches your account (by Entra object id, e-mail or username). "
            + "Ask an ACMS administrator to link your account.",
            new() { ["code"] = "unknown_principal" }),
        _ => Problems.Create(StatusCodes.Status403Forbidden, "Forbidden",
            $"Your account may not {(action == AccessAction.Read ? "read" : "change")} {Describe(scope)}.",
            new() { ["code"] = "forbidden" }),
    };

    public static ObjectResult Unauthenticated() => Problems.Create(StatusCodes.Status401Unauthorized, "Sign-in required",
        "This route serves signed-in users only: sign in with Microsoft Entra ID (App Service authentication), or call the function-key route with a key.",
        new() { ["code"] = "unauthenticated" });

    private static string Describe(AccessScope scope) => scope switch
    {
        AccessScope.OwnData => "your insights and reports",
        AccessScope.OtherUserData => "another user's insights or reports",
        AccessScope.OrgData => "organisation-level outputs",
        AccessScope.Jobs => "jobs and their runs",
        _ => "this resource",
    };
}
