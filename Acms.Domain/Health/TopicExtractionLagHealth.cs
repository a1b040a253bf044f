namespace Acms.Domain.Health;

/// <summary>Age of the oldest Q&amp;A not yet examined by topic extraction (0 when up to date).</summary>
public sealed record TopicExtractionLagHealth(string Status, double LagSeconds, DateTime? OldestPendingAt, string? Reason);
