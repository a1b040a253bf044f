namespace Acms.Bench.Cases;

/// <summary>The weekly report (per user and org) after topic extraction and insight generation ran on the copy.</summary>
public sealed class WeeklyReportCase : IBenchCase
{
    public string Job => "weekly_report";

    public string? Floor => null;

    public Target Target { get; } = new();

    public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmEnabled"] = "false" };

    public IReadOnlyList<string> Before { get; } = ["topic_extraction", "insight_generation"];
}
