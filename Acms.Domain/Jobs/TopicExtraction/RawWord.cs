namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>Where a word of a text is; <see cref="Break"/> when punctuation precedes it.</summary>
/// <param name="Code">A code identifier or path (<c>n_dead_tup</c>, <c>com.acme.Foo</c>): never a topic word.</param>
/// <param name="DotNet"><c>.net</c>: read as <c>dotnet</c>.</param>
/// <param name="Url">A link (<c>https://…</c>, <c>www.…</c>): never a word, but its path may name concepts (<see cref="UrlConcepts"/>).</param>
public readonly record struct RawWord(int Start, int Length, bool Break, bool Code, bool DotNet, bool Url = false);
