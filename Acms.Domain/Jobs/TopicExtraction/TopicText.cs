namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Reads a Q&amp;A into topic tokens: words (<see cref="TopicTokenizer"/>) folded to canonical keys and classified by
/// the <see cref="TopicLexicon"/>; the longest run of words that spells a lexicon alias becomes one concept token
/// (<c>Postgres</c> → <c>postgresql</c>, <c>horizontal pod autoscaler</c> → <c>autoscaling</c>); stop words, filler,
/// numbers, code and punctuation end a run. A question whose words are all small talk, filler or stop words (and no
/// concept) is small talk, and its answer is not read. Thread-safe: the word cache is per thread.
/// </summary>
public static class TopicText
{
    private const int MaxCacheEntries = 200_000;

    /// <summary>A question with a concept or this many topic words beyond small talk is never small talk.</summary>
    private const int SmallTalkMaxResidualWords = 1;

    [ThreadStatic]
    private static Dictionary<string, WordInfo>? t_cache;

    [ThreadStatic]
    private static TopicLexicon? t_cacheLexicon;

    [ThreadStatic]
    private static List<RawWord>? t_raw;

    [ThreadStatic]
    private static List<WordInfo>? t_words;

    private sealed record WordInfo(string Key, WordClass Class, bool SmallTalk, bool Code);

    /// <summary>Tokenizes the question and the answer (which may be absent: not shareable, or empty).</summary>
    public static AnalyzedQa Analyze(string question, string? answer) => Analyze(question, answer, TopicLexicon.Default);

    public static AnalyzedQa Analyze(string question, string? answer, TopicLexicon lexicon)
    {
        var tokens = new List<TopicToken>(64);
        var run = 0;
        var (concepts, residual, smallTalkWords) = AddTokens(question, inQuestion: true, lexicon, tokens, ref run);
        if (concepts == 0 && (residual == 0 || (residual <= SmallTalkMaxResidualWords && smallTalkWords >= 2)))
        {
            return AnalyzedQa.Empty(smallTalk: smallTalkWords > 0);
        }

        var questionWords = tokens.Count;
        if (!string.IsNullOrEmpty(answer))
        {
            run++;
            AddTokens(answer, inQuestion: false, lexicon, tokens, ref run);
        }

        return new AnalyzedQa(tokens, questionWords, smallTalk: false);
    }

    /// <summary>The canonical keys of a tag's words (<c>postgres-indexes</c> → <c>postgres</c>, <c>index</c>), for matching tags.</summary>
    public static IReadOnlyList<string> TagStems(string tag) => TopicTokenizer.Words(tag).ConvertAll(TopicLexicon.Default.Key);

    /// <summary>Lowercase, hyphenated, only letters and digits between hyphens: <c>Kubernetes Ingress</c> → <c>kubernetes-ingress</c>.</summary>
    public static string NormalizeTag(string tag)
    {
        var sb = new System.Text.StringBuilder(tag.Length);
        var pendingHyphen = false;
        foreach (var c in tag.Trim())
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingHyphen && sb.Length > 0)
                {
                    sb.Append('-');
                }

                pendingHyphen = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingHyphen = true;
            }
        }

        return sb.ToString();
    }

    private static (int Concepts, int Residual, int SmallTalk) AddTokens(string text, bool inQuestion, TopicLexicon lexicon, List<TopicToken> tokens, ref int run)
    {
        var raw = t_raw ??= new List<RawWord>(128);
        var words = t_words ??= new List<WordInfo>(128);
        raw.Clear();
        words.Clear();
        TopicTokenizer.Tokenize(text, raw);
        foreach (var w in raw)
        {
            words.Add(w.DotNet ? Word("dotnet", lexicon) : Word(text.AsSpan(w.Start, w.Length), lexicon, w.Code));
        }

        int concepts = 0, residual = 0, smallTalk = 0;
        var lastWasContent = false;
        for (var i = 0; i < words.Count;)
        {
            var info = words[i];
            if (raw[i].Break && lastWasContent)
            {
                run++;
                lastWasContent = false;
            }

            var (concept, length) = info.Code ? (null, 1) : Match(words, i, lexicon);
            if (concept is not null)
            {
                tokens.Add(new TopicToken(concept.Name, inQuestion, run, Concept: true, Generic: false));
                concepts++;
                lastWasContent = true;
                i += length;
                continue;
            }

            smallTalk += info.SmallTalk ? 1 : 0;
            if (info.Class is WordClass.Content or WordClass.Generic && !info.Code)
            {
                tokens.Add(new TopicToken(info.Key, inQuestion, run, Concept: false, Generic: info.Class == WordClass.Generic));
                residual++;
                lastWasContent = true;
            }
            else if (lastWasContent)
            {
                run++;
                lastWasContent = false;
            }

            i++;
        }

        return (concepts, residual, smallTalk);
    }

    /// <summary>The longest lexicon alias starting at word <paramref name="at"/>.</summary>
    private static (TopicConcept? Concept, int Length) Match(List<WordInfo> words, int at, TopicLexicon lexicon)
    {
        var first = words[at].Key;
        if (lexicon.StartsPhrase(first))
        {
            var max = Math.Min(lexicon.MaxPhraseWords, words.Count - at);
            for (var length = max; length >= 2; length--)
            {
                var parts = new string[length];
                var code = false;
                for (var k = 0; k < length; k++)
                {
                    parts[k] = words[at + k].Key;
                    code |= words[at + k].Code;
                }

                if (!code && lexicon.Concept(string.Join(' ', parts)) is { } phrase)
                {
                    return (phrase, length);
                }
            }
        }

        return (lexicon.Concept(first), 1);
    }

    private static WordInfo Word(ReadOnlySpan<char> raw, TopicLexicon lexicon, bool code = false)
    {
        var cache = t_cache ??= new Dictionary<string, WordInfo>(StringComparer.Ordinal);
        if (!ReferenceEquals(t_cacheLexicon, lexicon))
        {
            cache.Clear();
            t_cacheLexicon = lexicon;
        }

        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!code && lookup.TryGetValue(raw, out var info))
        {
            return info;
        }

        var normalized = TopicTokenizer.Normalize(raw);
        if (code)
        {
            return new WordInfo(normalized, WordClass.Token, false, true);
        }

        var key = lexicon.Key(normalized);
        info = new WordInfo(key, lexicon.Classify(key), lexicon.IsSmallTalk(key) || lexicon.IsSmallTalk(normalized), false);
        if (cache.Count >= MaxCacheEntries)
        {
            cache.Clear();
        }

        cache[raw.ToString()] = info;
        return info;
    }
}
