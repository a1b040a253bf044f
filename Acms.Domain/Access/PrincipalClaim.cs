namespace Acms.Domain.Access;

/// <summary>One claim of a <see cref="ClientPrincipal"/>.</summary>
public sealed record PrincipalClaim(string Type, string Value);
