namespace Acms.Domain.Access;

/// <summary>Who is calling, as far as access decisions go. Every HTTP request resolves to exactly one kind.</summary>
public enum CallerKind
{
    /// <summary>No trusted principal and no function key checked by the host.</summary>
    Anonymous,

    /// <summary>Signed in through App Service authentication, but no ACMS user matches (or the user is deactivated).</summary>
    UnknownPrincipal,

    /// <summary>A signed-in person mapped to one ACMS user.</summary>
    User,

    /// <summary>A signed-in person holding the <c>Acms.Admin</c> app role.</summary>
    Admin,

    /// <summary>A function-key route without a principal: schedulers and scripts, trusted like an admin.</summary>
    Automation,
}
