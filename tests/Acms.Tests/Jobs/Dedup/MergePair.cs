using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acms.Tests.Jobs.Dedup;

/// <summary>
/// One labelled pair of <c>merge-pairs.jsonl</c>: two memories of one user and whether dedup may merge them. <c>split</c>
/// is dev (the rule was looked at against these) or test (held out: figures are reported from it).
/// </summary>
public sealed record MergePair(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("length")] string Length,
    [property: JsonPropertyName("a")] string A,
    [property: JsonPropertyName("b")] string B)
{
    public bool ShouldMerge => Expected == "merge";

    public static IReadOnlyList<MergePair> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Jobs", "Dedup", "merge-pairs.jsonl");
        return [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<MergePair>(l)!)];
    }
}
