using System.Security.Cryptography;
using System.Text;
using Acms.Domain.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Acms.Functions.Access;

/// <summary>
/// Attaches the caller to every HTTP invocation: a trusted principal (App Service authentication on) is mapped to an ACMS
/// user or admin; without one, a function-key route is automation (the host checked the key) and any other route is
/// anonymous. A sign-in route called anonymously is refused here already (401); the functions then demand their scopes.
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
                AccessControl.Attach(http, Automation(http.Request));
            }
            else if (!route.IsPublic)
            {
                throw new AccessDeniedException(Caller.Anonymous, AccessScope.OwnData, AccessAction.Read);
            }
            else
            {
                AccessControl.Attach(http, Caller.Anonymous);
            }
        }

        await next(context);
    }

    /// <summary>
    /// Automation, named for the records that keep who did something (who paused a job). The worker never learns the
    /// key's name, only the key the host already checked: a short SHA-256 fingerprint tells keys apart without storing one.
    /// </summary>
    private static Caller Automation(HttpRequest request)
    {
        var key = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return string.IsNullOrEmpty(key)
            ? Caller.Automation
            : Caller.Automation with { Name = $"function-key:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12]}" };
    }
}
