namespace Acms.Domain.Access;

/// <summary>One allowed (caller kind, scope, action) triple of <see cref="AccessPolicy"/>.</summary>
public sealed record AccessGrant(CallerKind Caller, AccessScope Scope, AccessAction Action);
