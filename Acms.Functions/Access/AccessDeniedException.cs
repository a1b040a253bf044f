using Acms.Domain.Access;

namespace Acms.Functions.Access;

/// <summary>The policy denies the caller this (scope, action); the error middleware answers 401 or 403 (see <see cref="AccessControl.ToProblem"/>).</summary>
public sealed class AccessDeniedException(Caller caller, AccessScope scope, AccessAction action)
    : Exception($"{caller.Kind} may not {action} {scope}")
{
    public Caller Caller { get; } = caller;

    public AccessScope Scope { get; } = scope;

    public AccessAction Action { get; } = action;
}
