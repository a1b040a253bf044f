namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// One candidate row of query_history in a batch. <see cref="Done"/> rows already have an extraction of the version:
/// they come back with their text left out and only move the walk on.
/// </summary>
internal sealed record TopicSourceRow(
    Guid QueryId, Guid UserId, string? Question, string? Answer, DateTime? CreatedAt, bool FromCache, double? CostUsd, string Privacy, bool Done);
