namespace Acms.Domain.Access;

/// <summary>What a request touches, relative to the caller.</summary>
public enum AccessScope
{
    /// <summary>The health probe: no data.</summary>
    Health,

    /// <summary>The caller's own insights and reports.</summary>
    OwnData,

    /// <summary>Another user's insights or reports (or a user id the caller is not).</summary>
    OtherUserData,

    /// <summary>Organisation-level outputs; they hold shareable (PUBLIC/INTERNAL) data only.</summary>
    OrgData,

    /// <summary>Job status, the run ledger, and running, pausing or resuming jobs.</summary>
    Jobs,
}
