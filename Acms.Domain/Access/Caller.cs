namespace Acms.Domain.Access;

/// <summary>The resolved caller of one request: its kind, the ACMS user it is (if any) and a name for audit fields.</summary>
public sealed record Caller(CallerKind Kind, Guid? UserId, string Name)
{
    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, null, "anonymous");

    public static Caller Automation { get; } = new(CallerKind.Automation, null, "automation (function key)");

    /// <summary>Where a request for <paramref name="userId"/>'s data falls for this caller; no user id means the organisation.</summary>
    public AccessScope ScopeOf(Guid? userId) =>
        userId is null ? AccessScope.OrgData : userId == UserId ? AccessScope.OwnData : AccessScope.OtherUserData;

    public bool May(AccessScope scope, AccessAction action) => AccessPolicy.Allows(Kind, scope, action);

    /// <summary>Admins and automation see every user; a person only themselves (and org outputs).</summary>
    public bool SeesEveryUser => May(AccessScope.OtherUserData, AccessAction.Read);
}
