namespace Acms.Bench.Cases;

/// <summary>
/// Topic extraction over every Q&amp;A row not yet extracted, end to end (read, keyphrase extraction, COPY + insert).
/// No floor: the work is in .NET, not one statement. Rows = Q&amp;A rows processed (every row gets a topic_extractions row,
/// trivial ones included). The LLM
/// extractor is off (no external service in a benchmark).
/// </summary>
public sealed class TopicExtractionCase : IBenchCase
{
    public string Job => "topic_extraction";

    public string? Floor => null;

    public Target Target { get; } = new(MinRowsPerSecond: 10_000);

    public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmEnabled"] = "false" };

}
