using System.Text;
using System.Text.RegularExpressions;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>
/// The matching rule of <c>topic-eval.jsonl</c>, independent of the extractor: nothing here reads the shipped vocabulary,
/// so growing the lexicon cannot move the measuring stick. Both sides are normalized the same way — lowercase, words
/// joined by hyphens, a plural folded per word — and then mapped through the eval author's own table of canonical names
/// and aliases (<c>topic-eval-canonical.md</c>, written with the labels: <c>aws</c> → <c>amazon-web-services</c>,
/// <c>k8s</c> → <c>kubernetes</c>). A prediction matches a gold topic when the two names are equal, or when the words of
/// one are a subset of the other's (<c>kubernetes-ingress</c> matches <c>kubernetes</c>).
/// </summary>
public static partial class TopicEvalMatching
{
    private static readonly Lazy<Dictionary<string, string>> Canonical = new(LoadTable);

    public static bool Matches(string predicted, string gold) =>
        TopicMatching.SameOrWordSubset(Canonicalize(predicted), Canonicalize(gold));

    public static string Canonicalize(string topic)
    {
        var normal = Normalize(topic);
        return Canonical.Value.TryGetValue(normal, out var canonical) ? canonical : normal;
    }

    /// <summary>Lowercase words of letters and digits joined by hyphens, each plural folded (<c>queries</c> → <c>query</c>).</summary>
    public static string Normalize(string text)
    {
        var words = NonWord().Split(text.ToLowerInvariant().Replace("c#", "csharp", StringComparison.Ordinal).Replace("c++", "cpp", StringComparison.Ordinal))
            .Where(w => w.Length > 0)
            .Select(Singular);
        return string.Join('-', words);
    }

    private static string Singular(string word) => word switch
    {
        { Length: > 4 } when word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        { Length: > 4 } when word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal) => word[..^2],
        { Length: > 3 } when word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal) => word[..^1],
        _ => word,
    };

    /// <summary>
    /// Rows of the table: <c>| `canonical` | alias, alias (remark), … |</c>. Remarks in parentheses are dropped, and an
    /// entry the author marked as not folded (bold) is skipped.
    /// </summary>
    private static Dictionary<string, string> LoadTable()
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(AppContext.BaseDirectory, "Jobs", "TopicExtraction", "topic-eval-canonical.md");
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            var row = Row().Match(line);
            if (!row.Success)
            {
                continue;
            }

            var canonical = Normalize(row.Groups[1].Value);
            foreach (var entry in row.Groups[2].Value.Split(','))
            {
                if (entry.Contains("**", StringComparison.Ordinal))
                {
                    continue;
                }

                var alias = Normalize(Remark().Replace(entry, ""));
                if (alias.Length > 0 && alias != canonical)
                {
                    table.TryAdd(alias, canonical);
                }
            }
        }

        return table;
    }

    [GeneratedRegex(@"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Remark();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonWord();
}
