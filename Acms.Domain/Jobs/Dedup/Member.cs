namespace Acms.Domain.Jobs.Dedup;

/// <summary>One memory as dedup sees it when choosing a survivor.</summary>
public sealed class Member
{
    public Guid MemoryId { get; init; }
    public Guid UserId { get; init; }
    public string ContentHash { get; init; } = "";
    public double Crs { get; init; }

    /// <summary><c>outcome_score + frequency_score</c>.</summary>
    public double Secondary { get; init; }

    public DateTime CreatedAt { get; init; }
}
