namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>The topics of one Q&amp;A row, canonical names, best first.</summary>
/// <param name="Method"><c>keyword</c>, <c>llm</c> or <c>trivial</c> (no topics; the row is not scanned again).</param>
public sealed record TopicResult(IReadOnlyList<string> Topics, string? PrimaryTopic, double Confidence, string Method)
{
    public const string Keyword = "keyword";
    public const string Llm = "llm";
    public const string TrivialMethod = "trivial";

    public static TopicResult Trivial { get; } = new([], null, 1.0, TrivialMethod);

    /// <summary>
    /// Compounds and the concept they belong to: ("table-bloat", "postgresql") for "postgres table bloat". Both are
    /// topics of the row; the pair is stored in <c>topic_relations</c>.
    /// </summary>
    public IReadOnlyList<(string Topic, string Head)> Relations { get; init; } = [];
}
