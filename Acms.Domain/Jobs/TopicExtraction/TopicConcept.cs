namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>A concept of the topic lexicon: its canonical topic name, its kind and the aliases it is written as.</summary>
/// <param name="Kind">technology, product, field, process, concept, business or personal.</param>
public sealed record TopicConcept(string Name, string Kind, IReadOnlyList<string> Aliases);
