namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>A concept of the topic lexicon: its canonical topic name, its kind and the aliases it is written as.</summary>
/// <param name="Kind">technology, product, field, process, concept, business, personal or place.</param>
/// <param name="Parent">The broader concept a question about this one is also about (<c>pod</c> → <c>kubernetes</c>), or null.</param>
public sealed record TopicConcept(string Name, string Kind, IReadOnlyList<string> Aliases, string? Parent = null);
