namespace Acms.Bench.Cases;

/// <summary>What the read queries are called with: a user with the most Q&amp;A (the heaviest per-user summary).</summary>
public sealed record ReadContext(Guid BusiestUser);
