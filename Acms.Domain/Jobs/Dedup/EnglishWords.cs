using System.Collections.Concurrent;
using System.IO.Compression;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// The English word list dedup uses to tell a typo (a non-word one edit away from a word) from a different real word
/// ("latex" is not a typo of "later"). SCOWL size 50 via Debian's <c>wamerican</c> (permissive licence, see
/// <c>Words/SCOWL-LICENSE.txt</c>), shipped as an embedded resource so every machine has the same list. Loaded once.
/// </summary>
public static class EnglishWords
{
    private const string Resource = "Acms.Dedup.scowl-american-50.txt.gz";

    private static readonly Lazy<(HashSet<string> Common, HashSet<string> Names)> Lists = new(Load);

    /// <summary>A lower-case common word (any inflection the list has: "cancels", "deployed").</summary>
    public static bool IsCommon(string lower) => Lists.Value.Common.Contains(lower);

    /// <summary>A name the list knows (Karen, Marie) whose lower-case form is not also a common word.</summary>
    public static bool IsName(string lower) => Lists.Value.Names.Contains(lower);

    /// <summary>
    /// The one common word of five or more letters that <paramref name="lower"/> (a non-word) is one edit away from, or
    /// null when there is none or more than one.
    /// </summary>
    public static string? UniqueCorrection(string lower) => Corrections(lower, 2) is [var only] ? only : null;

    /// <summary>
    /// The common words of five or more letters one edit away from <paramref name="lower"/>, a non-word of ASCII letters
    /// (empty for a word, a name or anything else), at most <paramref name="limit"/> of them.
    /// </summary>
    public static IReadOnlyList<string> Corrections(string lower, int limit)
    {
        if (lower.Length < 4 || IsCommon(lower) || IsName(lower) || !lower.All(char.IsAsciiLetterLower))
        {
            return [];
        }

        // The same jargon recurs across a user's memories and across users: each non-word is looked up once per process.
        if (limit <= CachedReadings && KnownCorrections.TryGetValue(lower, out var known))
        {
            return known.Count > limit ? known[..limit] : known;
        }

        var found = Search(lower, Math.Max(limit, CachedReadings));
        if (KnownCorrections.Count < CacheCap)
        {
            KnownCorrections.TryAdd(lower, found);
        }

        return found.Count > limit ? found[..limit] : found;
    }

    /// <summary>Readings kept per cached non-word (callers ask for at most this many).</summary>
    private const int CachedReadings = 5;

    /// <summary>Non-words remembered at most (about 10 MB).</summary>
    private const int CacheCap = 100_000;

    private static readonly ConcurrentDictionary<string, List<string>> KnownCorrections = new(StringComparer.Ordinal);

    private static List<string> Search(string lower, int limit)
    {
        var found = new List<string>();
        foreach (var candidate in OneEditAway(lower))
        {
            if (candidate.Length >= 5 && !found.Contains(candidate) && IsCommon(candidate))
            {
                found.Add(candidate);
                if (found.Count >= limit)
                {
                    break;
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> OneEditAway(string word)
    {
        for (var i = 0; i <= word.Length; i++)
        {
            for (var c = 'a'; c <= 'z'; c++)
            {
                yield return string.Concat(word.AsSpan(0, i), [c], word.AsSpan(i));
                if (i < word.Length && word[i] != c)
                {
                    yield return string.Concat(word.AsSpan(0, i), [c], word.AsSpan(i + 1));
                }
            }

            if (i < word.Length)
            {
                yield return string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1));
            }

            if (i + 1 < word.Length && word[i] != word[i + 1])
            {
                yield return string.Concat(word.AsSpan(0, i), [word[i + 1], word[i]], word.AsSpan(i + 2));
            }
        }
    }

    /// <summary>
    /// True when <paramref name="a"/> becomes <paramref name="b"/> by one insertion, deletion, substitution or swap of
    /// two adjacent letters (optimal string alignment distance 1).
    /// </summary>
    public static bool OneEditApart(string a, string b)
    {
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        if (a.Length - b.Length > 1 || a == b)
        {
            return false;
        }

        var prefix = 0;
        while (prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        if (a.Length != b.Length)
        {
            return a.AsSpan(prefix + 1).SequenceEqual(b.AsSpan(prefix));
        }

        if (a.AsSpan(prefix + 1).SequenceEqual(b.AsSpan(prefix + 1)))
        {
            return true;
        }

        return prefix + 1 < a.Length && a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix]
               && a.AsSpan(prefix + 2).SequenceEqual(b.AsSpan(prefix + 2));
    }

    private static (HashSet<string>, HashSet<string>) Load()
    {
        var common = new HashSet<string>(70_000, StringComparer.Ordinal);
        var names = new HashSet<string>(10_000, StringComparer.Ordinal);
        using var stream = typeof(EnglishWords).Assembly.GetManifestResourceStream(Resource)
                           ?? throw new InvalidOperationException($"Embedded word list {Resource} is missing.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            if (char.IsUpper(line[0]))
            {
                names.Add(line.ToLowerInvariant());
            }
            else
            {
                common.Add(line);
            }
        }

        return (common, names);
    }
}
