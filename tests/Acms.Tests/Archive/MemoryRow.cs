namespace Acms.Tests.Archive;

public sealed class MemoryRow
{
    public Guid MemoryId { get; init; }
    public string Tier { get; init; } = "";
    public string Privacy { get; init; } = "";
    public string[] Tags { get; init; } = [];
    public int AccessCount { get; init; }
    public DateTime? LastAccessed { get; init; }
    public string Content { get; init; } = "";
}
