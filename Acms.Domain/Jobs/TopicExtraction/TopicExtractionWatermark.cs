namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>Where an extractor version's walk stands: <c>topic_extraction_watermarks</c>.</summary>
internal sealed record TopicExtractionWatermark(DateTime CreatedAt, Guid QueryId, DateTime? LastFullSweepAt);
