using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Access;

/// <summary>
/// The two route families and the public routes. Every HTTP function's authorization level and route, read from its
/// trigger attribute (the same attribute the host enforces through functions.metadata), so the app knows whether the
/// host already checked a function key for the invocation.
/// </summary>
public static class HttpRoutes
{
    /// <summary>Routes of the sign-in family: anonymous at the host, a trusted principal required by the app.</summary>
    public const string SignedInPrefix = "signed-in/";

    /// <summary>The catch-all route: the host routes here only what no other function's route and method match.</summary>
    public const string UnmatchedRoute = "{*rest}";

    /// <summary>
    /// Routes anyone may call (they serve no data): the health probe, the dashboard's page and static files, and the
    /// catch-all that answers an unknown route or method with a problem document.
    /// </summary>
    public static readonly FrozenSet<string> PublicRoutes = FrozenSet.ToFrozenSet(["health", "dashboard", "dashboard/assets/{*path}", UnmatchedRoute], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, HttpRoute> ByFunction = typeof(HttpRoutes).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
        .Where(x => x.Function is not null && x.Trigger is not null)
        .ToFrozenDictionary(
            x => x.Function!.Name,
            x => new HttpRoute(x.Function!.Name, x.Trigger!.AuthLevel, x.Trigger.Route ?? x.Function.Name, [.. (x.Trigger.Methods ?? []).Select(m => m.ToUpperInvariant())]),
            StringComparer.Ordinal);

    private static readonly (HttpRoute Route, TemplateMatcher Matcher)[] Matchers = [.. ByFunction.Values
        .Where(r => r.Route != UnmatchedRoute)
        .Select(r => (r, new TemplateMatcher(TemplateParser.Parse(r.Route), new RouteValueDictionary())))];

    public static IReadOnlyCollection<HttpRoute> All => ByFunction.Values;

    public static HttpRoute? Find(string functionName) => ByFunction.GetValueOrDefault(functionName);

    /// <summary>The methods the app's routes accept on <paramref name="path"/> (relative to the route prefix); empty when no route has it.</summary>
    public static IReadOnlyList<string> MethodsAt(string path)
    {
        var relative = new PathString("/" + path.TrimStart('/'));
        return [.. Matchers.Where(m => m.Matcher.TryMatch(relative, [])).SelectMany(m => m.Route.Methods).Distinct().Order(StringComparer.Ordinal)];
    }
}
