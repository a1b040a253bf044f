namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Decides whether two memories of one user say the same thing, so that dedup may merge them. The texts are tokenized
/// (<see cref="MergeTokenizer"/>) and aligned word by word (longest common subsequence); every run of differing tokens
/// between two aligned ones must consist of <see cref="MeaningWords.Fillers"/> on either side plus, pairwise in order,
/// one-letter typos: one side a common English word of five or more letters, the other a non-word one edit away
/// (insertion, deletion, substitution or swap of neighbours), neither written as a name (capitalised mid-sentence, all
/// capitals) nor a known name, not just a plural/past "s"/"d" added, and not also one letter from another negation,
/// opposite, number, unit or date word. Anything
/// else (a number, identifier, symbol, name, negation, opposite or any other word) keeps the memories apart. It is an
/// allow-list: a difference the rule does not know is a difference in meaning. Thread-safe.
/// </summary>
public static class SameMeaningRule
{
    public static MergeVerdict Compare(string left, string right) => Compare(MergeTokenizer.Tokenize(left), MergeTokenizer.Tokenize(right));

    public static MergeVerdict Compare(IReadOnlyList<MergeToken> left, IReadOnlyList<MergeToken> right)
    {
        // Common prefix and suffix first: near-duplicates differ in a few tokens, so the alignment table stays tiny.
        var prefix = 0;
        while (prefix < left.Count && prefix < right.Count && left[prefix].Key == right[prefix].Key)
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < left.Count - prefix && suffix < right.Count - prefix && left[^(suffix + 1)].Key == right[^(suffix + 1)].Key)
        {
            suffix++;
        }

        var a = Slice(left, prefix, left.Count - prefix - suffix);
        var b = Slice(right, prefix, right.Count - prefix - suffix);
        if (a.Length == 0 && b.Length == 0)
        {
            return MergeVerdict.Same;
        }

        foreach (var (l, r) in Hunks(a, b))
        {
            var verdict = CheckHunk(l, r);
            if (!verdict.Merge)
            {
                return verdict;
            }
        }

        return MergeVerdict.Same;
    }

    /// <summary>
    /// The keys candidates are grouped by: the tokens without fillers, with a misspelling replaced by the one word it can
    /// be; when it could be one of a few ("budgte": budget or budge), one more key per reading follows the first, so the
    /// text meets its twin whichever was meant. Texts the rule merges share a key, except where a capital or an
    /// inflection makes the rule stricter; the rule still decides.
    /// </summary>
    public static string[] CandidateKeys(IReadOnlyList<MergeToken> tokens)
    {
        var words = new List<string>(tokens.Count);
        List<(int At, IReadOnlyList<string> Readings)>? ambiguous = null;
        foreach (var token in tokens)
        {
            if (IsFiller(token))
            {
                continue;
            }

            var key = token.Key;
            if (token.Kind == MergeTokenKind.Word && !token.LooksLikeName)
            {
                var readings = EnglishWords.Corrections(key, MaxReadings + 1);
                if (readings.Count == 1)
                {
                    key = readings[0];
                }
                else if (readings.Count > 1 && readings.Count <= MaxReadings && (ambiguous ??= []).Count < MaxAmbiguous)
                {
                    ambiguous.Add((words.Count, readings));
                }
            }

            words.Add(key);
        }

        var keys = new List<string> { string.Join(' ', words) };
        foreach (var (at, readings) in ambiguous ?? [])
        {
            var written = words[at];
            foreach (var reading in readings)
            {
                words[at] = reading;
                keys.Add(string.Join(' ', words));
            }

            words[at] = written;
        }

        return [.. keys];
    }

    public static bool IsFiller(MergeToken token) =>
        token.Kind == MergeTokenKind.Word && !token.LooksLikeName && MeaningWords.Fillers.Contains(token.Key);

    private static MergeVerdict CheckHunk(List<MergeToken> left, List<MergeToken> right)
    {
        var l = left.Where(t => !IsFiller(t)).ToList();
        var r = right.Where(t => !IsFiller(t)).ToList();
        for (var i = 0; i < Math.Max(l.Count, r.Count); i++)
        {
            MergeToken? x = i < l.Count ? l[i] : null;
            MergeToken? y = i < r.Count ? r[i] : null;
            if (x is null || y is null || !IsTypo(x.Value, y.Value))
            {
                return new MergeVerdict(Classify(x, y), x?.Key, y?.Key);
            }
        }

        return MergeVerdict.Same;
    }

    /// <summary>One token is a one-letter typo of the other (see the class summary).</summary>
    public static bool IsTypo(MergeToken x, MergeToken y)
    {
        if (x.Kind != MergeTokenKind.Word || y.Kind != MergeTokenKind.Word || x.LooksLikeName || y.LooksLikeName
            || !EnglishWords.OneEditApart(x.Key, y.Key))
        {
            return false;
        }

        var (longer, shorter) = x.Key.Length >= y.Key.Length ? (x.Key, y.Key) : (y.Key, x.Key);
        if (longer.Length == shorter.Length + 1 && longer.StartsWith(shorter, StringComparison.Ordinal) && longer[^1] is 's' or 'd')
        {
            return false; // plural, third person or past tense: an inflection, not a typo
        }

        var xWord = EnglishWords.IsCommon(x.Key);
        var yWord = EnglishWords.IsCommon(y.Key);
        if (xWord == yWord)
        {
            return false; // two real words ("later"/"latex"), or two unknowns (codes, names): different words
        }

        // The misspelling must not also be one letter from a negation, opposite, number, unit or date word other than the
        // word itself: "recieve" is "receive" (or "relieve"), but "nable" could be "enable" or "unable" and "fifry"
        // "fifty" or "fifth". A misspelling near too many words says nothing.
        var (word, typo) = xWord ? (x.Key, y.Key) : (y.Key, x.Key);
        var readings = EnglishWords.Corrections(typo, MaxReadings + 1);
        return word.Length >= 5 && readings.Count <= MaxReadings && readings.Contains(word) && !readings.Any(r => r != word && Protected(r));
    }

    /// <summary>Words a misspelling may be one letter from (and still count as a typo), and readings per candidate key.</summary>
    private const int MaxReadings = 4;

    /// <summary>Ambiguous misspellings per text that get candidate keys of their own.</summary>
    private const int MaxAmbiguous = 2;

    private static bool Protected(string key) =>
        MeaningWords.Negations.Contains(key) || MeaningWords.Opposites.Contains(key) || MeaningWords.Quantities.Contains(key);

    private static MergeReason Classify(MergeToken? x, MergeToken? y)
    {
        MergeReason? worst = null;
        foreach (var token in new[] { x, y })
        {
            if (token is not { } t)
            {
                continue;
            }

            var reason = t.Kind switch
            {
                MergeTokenKind.Number => MergeReason.Number,
                MergeTokenKind.Identifier or MergeTokenKind.Compound => MergeReason.Identifier,
                MergeTokenKind.Symbol => MergeReason.Symbol,
                _ when MeaningWords.Negations.Contains(t.Key) => MergeReason.Negation,
                _ when MeaningWords.Quantities.Contains(t.Key) => MergeReason.Number,
                _ when MeaningWords.Opposites.Contains(t.Key) => MergeReason.Opposite,
                _ when t.LooksLikeName || EnglishWords.IsName(t.Key) || (t.Capitalised && !EnglishWords.IsCommon(t.Key)) => MergeReason.ProperNoun,
                _ => MergeReason.Wording,
            };
            if (worst is null || (worst == MergeReason.Wording && reason != MergeReason.Wording))
            {
                worst = reason;
            }
        }

        return worst ?? MergeReason.Wording;
    }

    private static MergeToken[] Slice(IReadOnlyList<MergeToken> tokens, int start, int count)
    {
        var slice = new MergeToken[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = tokens[start + i];
        }

        return slice;
    }

    /// <summary>The runs of unaligned tokens between aligned ones, from a longest-common-subsequence table over keys.</summary>
    private static IEnumerable<(List<MergeToken> Left, List<MergeToken> Right)> Hunks(MergeToken[] a, MergeToken[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i].Key == b[j].Key ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var left = new List<MergeToken>();
        var right = new List<MergeToken>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x].Key == b[y].Key)
            {
                if (left.Count > 0 || right.Count > 0)
                {
                    yield return (left, right);
                    left = [];
                    right = [];
                }

                x++;
                y++;
            }
            else if (y >= b.Length || (x < a.Length && lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                left.Add(a[x++]);
            }
            else
            {
                right.Add(b[y++]);
            }
        }

        if (left.Count > 0 || right.Count > 0)
        {
            yield return (left, right);
        }
    }
}
