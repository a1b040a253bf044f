namespace Acms.Domain.Health;

/// <summary>Embedded migrations of this build against the database's journal.</summary>
public sealed record MigrationsHealth(string Status, int Expected, int Applied, IReadOnlyList<int> Pending, string? Reason);
