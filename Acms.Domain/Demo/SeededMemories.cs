namespace Acms.Domain.Demo;

/// <summary>What <see cref="MemorySeeder"/> wrote.</summary>
public sealed record SeededMemories(IReadOnlyList<Guid> UserIds, long Memories, long NearDuplicates, long StaleShortTerm, long Outcomes);
