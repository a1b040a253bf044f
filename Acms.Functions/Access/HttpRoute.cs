using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Access;

/// <summary>An HTTP function's name, host authorization level, route template and methods (upper case).</summary>
public sealed record HttpRoute(string Function, AuthorizationLevel Level, string Route, IReadOnlyList<string> Methods)
{
    /// <summary>The host checked a function (or host/master) key before the app saw the request.</summary>
    public bool KeyChecked => Level is AuthorizationLevel.Function or AuthorizationLevel.Admin;

    public bool IsPublic => HttpRoutes.PublicRoutes.Contains(Route);

    public bool IsSignedInFamily => Route.StartsWith(HttpRoutes.SignedInPrefix, StringComparison.OrdinalIgnoreCase);
}
