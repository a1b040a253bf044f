namespace Acms.Domain.Access;

/// <summary>
/// Who may do what, as data: the grants below are the whole policy and everything else is denied. The HTTP layer
/// asks <see cref="Allows"/> for every request; the tests enumerate <see cref="Grants"/> against every route.
/// </summary>
public static class AccessPolicy
{
    /// <summary>The app role (a <c>roles</c> claim) that makes a signed-in person an administrator.</summary>
    public const string AdminRole = "Acms.Admin";

    public static IReadOnlyList<AccessGrant> Grants { get; } = Build();

    private static readonly HashSet<AccessGrant> Allowed = [.. Grants];

    public static bool Allows(CallerKind caller, AccessScope scope, AccessAction action) => Allowed.Contains(new AccessGrant(caller, scope, action));

    /// <summary>The scopes a caller may touch with an action, for clients that hide what the caller may not use.</summary>
    public static IReadOnlyList<AccessScope> ScopesFor(CallerKind caller, AccessAction action) =>
        [.. Grants.Where(g => g.Caller == caller && g.Action == action).Select(g => g.Scope)];

    private static List<AccessGrant> Build()
    {
        var grants = new List<AccessGrant>();
        foreach (var everyone in Enum.GetValues<CallerKind>())
        {
            grants.Add(new(everyone, AccessScope.Health, AccessAction.Read));
        }

        // A person sees and generates their own data, and reads the organisation's shareable outputs.
        grants.Add(new(CallerKind.User, AccessScope.OwnData, AccessAction.Read));
        grants.Add(new(CallerKind.User, AccessScope.OwnData, AccessAction.Write));
        grants.Add(new(CallerKind.User, AccessScope.OrgData, AccessAction.Read));

        // Administrators and automation (a function key is an app-wide secret, as before) may do everything.
        foreach (var trusted in new[] { CallerKind.Admin, CallerKind.Automation })
        {
            foreach (var scope in Enum.GetValues<AccessScope>().Where(s => s != AccessScope.Health))
            {
                grants.Add(new(trusted, scope, AccessAction.Read));
                grants.Add(new(trusted, scope, AccessAction.Write));
            }
        }

        return grants;
    }
}
