using Acms.Domain.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Acms.Functions.Access;

/// <summary>
/// Attaches the caller to every HTTP invocation: a trusted principal (App Service authentication on) is mapped to an ACMS
/// user or admin; without one, a function-key route is automation (the host checked the key) and any other route is
/// anonymous. A sign-in route called anonymously is answered 401 here already; the functions then check scopes.
/// </summary>
internal sealed class AccessMiddleware(PlatformAuthentication platform, PrincipalDirectory directory) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http && HttpRoutes.Find(context.FunctionDefinition.Name) is { } route)
        {
            if (platform.TryGetPrincipal(http.Request, out var principal))
            {
                AccessControl.Attach(http, ct => directory.ResolveAsync(principal, ct));
            }
            else if (route.KeyChecked)
            {
                AccessControl.Attach(http, Caller.Automation);
            }
            else if (!route.IsPublic)
            {
                var problem = AccessControl.Unauthenticated();
                http.Response.StatusCode = problem.StatusCode!.Value;
                http.Response.ContentType = "application/problem+json";
                await http.Response.WriteAsJsonAsync(problem.Value, context.CancellationToken);
                return;
            }
            else
            {
                AccessControl.Attach(http, Caller.Anonymous);
            }
        }

        await next(context);
    }
}
