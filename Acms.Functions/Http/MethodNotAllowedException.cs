namespace Acms.Functions.Http;

/// <summary>The route exists, but not for this method; <see cref="Allowed"/> lists the methods it has (the Allow header).</summary>
public sealed class MethodNotAllowedException(string method, IReadOnlyList<string> allowed)
    : Exception($"{method} is not allowed here; use {string.Join(" or ", allowed)}.")
{
    public IReadOnlyList<string> Allowed { get; } = allowed;
}
