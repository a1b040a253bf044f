using Acms.Domain.Jobs.Dedup;

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

    [ThreadStatic]
    private static Dictionary<string, WordInfo>? t_cache;

    [ThreadStatic]
    private static TopicLexicon? t_cacheLexicon;

    [ThreadStatic]
    private static List<RawWord>? t_raw;

    [ThreadStatic]
    private static List<WordInfo>? t_words;

    /// <param name="Name">A proper name of the English word list (Lisbon, Anna) that is no common word.</param>
    /// <param name="Foreign">Neither an English word nor a word of the lexicon or its lists ("brb", "goedemorgen").</param>
    private sealed record WordInfo(string Key, WordClass Class, bool SmallTalk, bool Code, bool Name = false, bool Foreign = false);

    /// <summary>Tokenizes the question and the answer (which may be absent: not shareable, or empty).</summary>
    public static AnalyzedQa Analyze(string question, string? answer) => Analyze(question, answer, TopicLexicon.Default);

    public static AnalyzedQa Analyze(string question, string? answer, TopicLexicon lexicon)
    {
        var tokens = new List<TopicToken>(64);
        var run = 0;
        var q = AddTokens(question, inQuestion: true, lexicon, tokens, ref run);
        if (q.Concepts == 0 && q.Residual == 0)
        {
            return AnalyzedQa.Empty(smallTalk: q.SmallTalk > 0);
        }

        if (SmallTalk.Is(q, question))
        {
            return AnalyzedQa.Empty(smallTalk: true);
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

    private static QuestionCounts AddTokens(string text, bool inQuestion, TopicLexicon lexicon, List<TopicToken> tokens, ref int run)
    {
        var raw = t_raw ??= new List<RawWord>(128);
        var words = t_words ??= new List<WordInfo>(128);
        raw.Clear();
        words.Clear();
        TopicTokenizer.Tokenize(text, raw);
        foreach (var w in raw)
        {
            words.Add(w.DotNet ? Word("dotnet", lexicon)
                : IsGoLanguage(text, w) ? Word("golang", lexicon)
                : Word(text.AsSpan(w.Start, w.Length), lexicon, w.Code));
        }

        int concepts = 0, residual = 0, subject = 0, smallTalk = 0, setPhrase = 0, neutral = 0, foreign = 0, english = 0;
        foreach (var word in words)
        {
            if (word.Class == WordClass.Stop)
            {
                var other = lexicon.IsForeignWord(word.Key);
                foreign += other ? 1 : 0;
                english += other ? 0 : 1;
            }
        }

        var asks = false;
        var lastWasContent = false;
        for (var i = 0; i < words.Count;)
        {
            var info = words[i];
            if (raw[i].Break && lastWasContent)
            {
                run++;
                lastWasContent = false;
            }

            if (raw[i].Url)
            {
                // A link's path names what it is about (…/azure/aks/cluster-autoscaler): each concept it names is a topic.
                foreach (var linked in UrlConcepts.Find(text.AsSpan(raw[i].Start, raw[i].Length), lexicon))
                {
                    run += lastWasContent ? 1 : 0;
                    tokens.Add(new TopicToken(linked.Name, inQuestion, run++, Concept: true, Generic: false));
                    concepts++;
                    lastWasContent = false;
                }

                i++;
                continue;
            }

            var (concept, length) = info.Code ? (CodeWords.Concept(info.Key, lexicon), 1) : Match(words, i, lexicon);
            if (concept is not null)
            {
                tokens.Add(new TopicToken(concept.Name, inQuestion, run, Concept: true, Generic: false));
                concepts++;
                lastWasContent = true;
                i += length;
                continue;
            }

            smallTalk += info.SmallTalk ? 1 : 0;
            setPhrase += info.SmallTalk && lexicon.IsSetPhraseWord(info.Key) ? 1 : 0;
            asks |= SmallTalk.IsAskingWord(info.Key);

            if (inQuestion && info.Code && WordShape.SettingName(info.Key) is { } setting)
            {
                // A setting or function named in the question ("shared_buffers", "max_connections") is what it asks about,
                // a topic of its own: it starts and ends a run.
                run += lastWasContent ? 1 : 0;
                tokens.Add(new TopicToken(setting, inQuestion, run++, Concept: false, Generic: false));
                residual++;
                subject++;
                lastWasContent = false;
            }
            else if (info.Class is WordClass.Content or WordClass.Generic && !info.Code)
            {
                tokens.Add(new TopicToken(info.Key, inQuestion, run, Concept: false, Generic: info.Class == WordClass.Generic, info.Foreign));
                residual++;
                neutral += info.Name || info.Foreign ? 1 : 0;
                subject += info.Class == WordClass.Content ? 1 : 0;
                lastWasContent = true;
            }
            else if (lastWasContent)
            {
                run++;
                lastWasContent = false;
            }

            i++;
        }

        if (inQuestion && foreign >= 2 && foreign > english)
        {
            // A question in another language ("wie konfiguriere ich einen nginx reverse proxy"): a word that is neither
            // English nor of the lexicon is one of that language ("konfiguriere"), not a term of art. Its concepts stay.
            // The counts are left as they were: they decide small talk, which a greeting in any language is.
            // The question's tokens are the list's first (the answer's come after).
            tokens.RemoveAll(t => !t.Concept && t.Unknown);
        }

        return new QuestionCounts(concepts, residual, subject, smallTalk, asks, neutral, words.Count, setPhrase);
    }

    /// <summary>"Go" capitalized inside a sentence is the language (at the start of one it is the verb).</summary>
    private static bool IsGoLanguage(string text, RawWord w)
    {
        if (w.Length != 2 || text[w.Start] != 'G' || text[w.Start + 1] != 'o' || w.Start == 0)
        {
            return false;
        }

        for (var i = w.Start - 1; i >= 0; i--)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return text[i] is not ('.' or '!' or '?' or ':' or '"' or '(' or '*' or '#' or '>' or '-');
            }
        }

        return false;
    }

    /// <summary>The longest lexicon alias starting at word <paramref name="at"/>.</summary>
    private static (TopicConcept? Concept, int Length) Match(List<WordInfo> words, int at, TopicLexicon lexicon)
    {
        var first = words[at].Key;
        if (lexicon.StartsPhrase(first))
        {
            var max = Math.Min(lexicon.MaxPhraseWordsFrom(first), words.Count - at);
            for (var length = max; length >= 2; length--)
            {
                var parts = new string[length];
                var code = false;
                for (var k = 0; k < length; k++)
                {
                    parts[k] = words[at + k].Key;
                    code |= words[at + k].Code;
                }

                if (!code && lexicon.PhraseConcept(parts) is { } phrase)
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
            return new WordInfo(CodeWords.Key(raw, normalized, lexicon), WordClass.Token, false, true);
        }

        var key = lexicon.Key(normalized);
        key = lexicon.Nominal(key) ?? key;
        var wordClass = lexicon.Classify(key);
        var english = EnglishWords.IsCommon(normalized) || EnglishWords.IsCommon(key);
        var known = english || lexicon.IsLexiconWord(key) || wordClass != WordClass.Content;
        var name = !english && !lexicon.IsLexiconWord(key) && EnglishWords.IsName(normalized);
        info = (WordShape.IsIdentifier(raw) || CodeWords.IsDotted(raw)) && !lexicon.IsLexiconWord(key)
            ? new WordInfo(CodeWords.Key(raw, normalized, lexicon), WordClass.Token, false, true)
            : new WordInfo(key, wordClass, lexicon.IsSmallTalk(key) || lexicon.IsSmallTalk(normalized), false, name, !known && !name);
        if (cache.Count >= MaxCacheEntries)
        {
            cache.Clear();
        }

        cache[raw.ToString()] = info;
        return info;
    }
}
