using Acms.Domain.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Access;

/// <summary>
/// The one authorization component of the HTTP API. <see cref="AccessMiddleware"/> attaches the caller to each request;
/// every function calls <see cref="DemandAsync"/> (or <see cref="Demand"/>) before it reads or changes anything, and the
/// answer comes from <see cref="AccessPolicy"/>. A denial throws <see cref="AccessDeniedException"/>, which the error
/// middleware answers (401 anonymous, 403 otherwise). A request without an attached caller is anonymous: fail closed.
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

    /// <summary>The caller, if the policy lets them take <paramref name="action"/> on <paramref name="scope"/>; else <see cref="AccessDeniedException"/>.</summary>
    public static async Task<Caller> DemandAsync(HttpRequest request, AccessScope scope, AccessAction action, CancellationToken cancellationToken)
    {
        var caller = await CallerAsync(request, cancellationToken);
        Demand(caller, scope, action);
        return caller;
    }

    public static void Demand(Caller caller, AccessScope scope, AccessAction action)
    {
        if (!caller.May(scope, action))
        {
            throw new AccessDeniedException(caller, scope, action);
        }
    }

    internal static ObjectResult ToProblem(AccessDeniedException denied) => denied.Caller.Kind switch
    {
        CallerKind.Anonymous => Problems.Create(StatusCodes.Status401Unauthorized, Problems.Unauthenticated, "Sign-in required",
            "This route serves signed-in users only: sign in with Microsoft Entra ID (App Service authentication), or call the function-key route with a key."),
        CallerKind.UnknownPrincipal => Problems.Create(StatusCodes.Status403Forbidden, Problems.UnknownPrincipal, "Unknown user",
            $"You are signed in as '{denied.Caller.Name}', but no active ACMS user matches your account (by Entra object id, e-mail or username). "
            + "Ask an ACMS administrator to link your account."),
        _ => Problems.Create(StatusCodes.Status403Forbidden, Problems.Forbidden, "Forbidden",
            $"Your account may not {(denied.Action == AccessAction.Read ? "read" : "change")} {Describe(denied.Scope)}."),
    };

    private static string Describe(AccessScope scope) => scope switch
    {
        AccessScope.OwnData => "your insights and reports",
        AccessScope.OtherUserData => "other users' data",
        AccessScope.OrgData => "organisation-level outputs",
        AccessScope.Jobs => "jobs and their runs",
        _ => "this resource",
    };
}
