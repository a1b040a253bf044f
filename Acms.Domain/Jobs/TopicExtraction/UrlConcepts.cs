namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The concepts a link's path names: documentation and issue links are slugs of their subject
/// (<c>learn.microsoft.com/en-us/azure/aks/cluster-autoscaler</c> → azure, azure-kubernetes-service, cluster-autoscaler).
/// Only concepts the lexicon knows count, never other words of a slug, and never the host, the query or the fragment:
/// a path is full of words no reader would pick ("docs", "learn", "en-us", ids).
/// </summary>
internal static class UrlConcepts
{
    public static List<TopicConcept> Find(ReadOnlySpan<char> url, TopicLexicon lexicon)
    {
        var found = new List<TopicConcept>();
        var path = Path(url);
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            var dot = segment.LastIndexOf('.');
            if (dot > 0)
            {
                segment = segment[..dot]; // "asyncio-task.html"
            }

            if (IsLocale(segment))
            {
                continue;
            }

            var keys = new List<string>();
            foreach (var part in segment.ToString().Split(['-', '_', '+', '.'], StringSplitOptions.RemoveEmptyEntries))
            {
                keys.Add(lexicon.Key(TopicTokenizer.Normalize(part)));
            }

            AddConcepts(keys, lexicon, found);
        }

        return found;
    }

    /// <summary>Longest concept first at each position, as in text.</summary>
    private static void AddConcepts(List<string> keys, TopicLexicon lexicon, List<TopicConcept> found)
    {
        for (var at = 0; at < keys.Count;)
        {
            var matched = 1;
            for (var length = Math.Min(lexicon.MaxPhraseWords, keys.Count - at); length >= 1; length--)
            {
                if (lexicon.PhraseConcept(keys.GetRange(at, length).ToArray()) is { } concept)
                {
                    if (!found.Contains(concept))
                    {
                        found.Add(concept);
                    }

                    matched = length;
                    break;
                }
            }

            at += matched;
        }
    }

    /// <summary>The part between the host and the query or fragment.</summary>
    private static ReadOnlySpan<char> Path(ReadOnlySpan<char> url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme >= 0 ? url[(scheme + 3)..] : url;
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            return [];
        }

        rest = rest[(slash + 1)..];
        var end = rest.IndexOfAny('?', '#');
        return end >= 0 ? rest[..end] : rest;
    }

    /// <summary>"en-us", "de-de", "en": a language or locale segment.</summary>
    private static bool IsLocale(ReadOnlySpan<char> segment) =>
        (segment.Length == 2 && char.IsAsciiLetter(segment[0]) && char.IsAsciiLetter(segment[1]))
        || (segment.Length == 5 && segment[2] == '-' && char.IsAsciiLetter(segment[0]) && char.IsAsciiLetter(segment[3]));
}
