using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>
/// The matching rule of the older <c>evaluation-set.jsonl</c> (our own labels, in the lexicon's names): both sides are canonicalized through the shipped
/// vocabulary (<see cref="TopicLexicon.Canonicalize"/>: case, hyphens, plurals, typos and aliases folded, so
/// <c>Postgres</c> and <c>postgresql</c> are equal); a predicted topic matches a gold topic when the two canonical
/// names are equal, or when the canonical words of one are a subset of the other's (<c>kubernetes-ingress</c> matches
/// <c>kubernetes</c>; <c>table-bloat</c> matches <c>postgresql-table-bloat</c>).
/// </summary>
public static class TopicMatching
{
    public static bool Matches(string predicted, string gold)
    {
        var lexicon = TopicLexicon.Default;
        var p = lexicon.Canonicalize(predicted);
        var g = lexicon.Canonicalize(gold);
        if (p.Length == 0 || g.Length == 0)
        {
            return false;
        }

        if (p == g)
        {
            return true;
        }

        var pw = p.Split('-').ToHashSet(StringComparer.Ordinal);
        var gw = g.Split('-').ToHashSet(StringComparer.Ordinal);
        return pw.IsSubsetOf(gw) || gw.IsSubsetOf(pw);
    }
}
