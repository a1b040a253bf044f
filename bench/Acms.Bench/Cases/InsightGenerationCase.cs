namespace Acms.Bench.Cases;

/// <summary>Insight generation (per user and org) after topic extraction has run on the copy. Rows = insights + knowledge rows written.</summary>
public sealed class InsightGenerationCase : IBenchCase
{
    public string Job => "insight_generation";

    public string? Floor => null;

    public Target Target { get; } = new();

    public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmEnabled"] = "false" };

    public IReadOnlyList<string> Before { get; } = ["topic_extraction"];
}
