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
        return SameOrWordSubset(lexicon.Canonicalize(predicted), lexicon.Canonicalize(gold));
    }

    /// <summary>The comparison both matching rules make once their names are canonical: equal, or the words of one within the other's.</summary>
    public static bool SameOrWordSubset(string predicted, string gold)
    {
        if (predicted.Length == 0 || gold.Length == 0)
        {
            return false;
        }

        if (predicted == gold)
        {
            return true;
        }

        var pw = predicted.Split('-').ToHashSet(StringComparer.Ordinal);
        var gw = gold.Split('-').ToHashSet(StringComparer.Ordinal);
        return pw.IsSubsetOf(gw) || gw.IsSubsetOf(pw);
    }
}
