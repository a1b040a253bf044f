using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Tartarus.Snowball.Ext;
using Lucene.Net.Util;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>One word of a Q&amp;A: its Porter2 stem, its lowercase surface form, where it was and which candidate run it belongs to.</summary>
/// <param name="Run">Words of one run are adjacent with no stop word or punctuation between them; phrases never cross runs.</param>
public readonly record struct TopicToken(string Stem, string Surface, bool InQuestion, int Run);

/// <summary>A Q&amp;A reduced to its content words.</summary>
public sealed class AnalyzedQa(List<TopicToken> tokens, int questionContentWords)
{
    public IReadOnlyList<TopicToken> Tokens { get; } = tokens;

    /// <summary>Content words of the question; zero means a greeting or a trivial row ("thanks!", "hi there").</summary>
    public int QuestionContentWords { get; } = questionContentWords;
}

/// <summary>
/// Tokenization, stop words and stemming from Lucene.Net: <see cref="StandardTokenizer"/> (UAX#29 words),
/// <see cref="EnglishPossessiveFilter"/>, <see cref="LowerCaseFilter"/>, the Snowball English stop list plus Lucene's
/// <see cref="StopAnalyzer.ENGLISH_STOP_WORDS_SET"/>, and the Snowball English (Porter2) stemmer. A short supplement of
/// conversational words ("how do I", "best way", "thanks") that no general-purpose stop list has is added, because
/// in an assistant's question log they carry no topic. Thread-safe: the Lucene analyzer reuses its components per
/// thread, and the stem cache is per thread.
/// </summary>
public static class TopicText
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const int MaxCacheEntries = 200_000;

    /// <summary>Words of Q&amp;A conversation that are not in the Snowball list and never make a topic on their own.</summary>
    private static readonly string[] ConversationalWords =
    [
        "can", "will", "use", "used", "uses", "using", "get", "gets", "getting", "got", "need", "needs", "needed", "want", "wants",
        "best", "better", "way", "ways", "good", "make", "makes", "making", "like", "know", "also", "just", "thing", "things",
        "please", "thanks", "thank", "hi", "hello", "hey", "help", "question", "example", "examples", "really", "actually",
        "something", "anything", "lot", "lots", "much", "many", "still", "well", "sure", "yes", "ok", "okay", "right", "instead",
        "usually", "typically", "often", "first", "then", "one", "two", "three", "try", "see", "keep", "take", "every", "per", "via",
        "vs", "versus", "without", "within", "across", "let", "lets", "may", "might", "must", "shall", "since", "whether",
        "simply", "easy", "able", "tell", "explain", "difference", "different", "mean", "means", "go", "goes", "going", "around",
        "e.g", "i.e", "etc", "cheers", "great", "cool", "nice", "morning", "afternoon", "evening", "bye", "appreciate", "awesome",
        "recommend", "recommended", "should", "would", "could", "does", "work", "works", "working", "new", "sometimes", "around",
        "always", "never", "even", "usually", "enough", "otherwise", "already", "else", "say", "says", "look", "looks", "set",
        "put", "give", "gives", "come", "comes", "find", "mostly", "quite", "rather", "whole", "kind", "sort",
        // Generic actions and qualities of "how do I <verb> ..." questions: they say what is wanted, not what about.
        "implement", "implementing", "configure", "configuring", "choose", "choosing", "fix", "fixing", "define", "read", "write",
        "writing", "add", "adding", "prevent", "reduce", "handle", "handling", "manage", "avoid", "improve", "create", "creating",
        "slow", "slower", "high", "higher", "low", "large", "long", "small", "smaller", "big", "huge", "fast", "faster", "quick",
        "bad", "last", "number", "value", "values", "return", "returns", "keeps", "growing", "cause", "causes", "detect",
        "detected", "happen", "happens", "correctly", "properly", "quickly", "efficiently", "safely", "effective", "effectively",
        "multiple", "several", "real", "start", "starts", "stop", "problem", "issue", "issues", "run", "runs", "running",
        "speed", "cut", "calculate", "measure", "buy", "pick", "understand", "change", "changes", "matter", "important",
        "possible", "specific", "general", "common", "simple", "better", "worth", "whenever", "today", "now", "later",
    ];

    private static readonly CharArraySet StopWords = BuildStopWords();

    private static readonly Analyzer Words = Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader);
        TokenStream stream = new EnglishPossessiveFilter(Version, tokenizer);
        stream = new LowerCaseFilter(Version, stream);
        return new TokenStreamComponents(tokenizer, stream);
    });

    [ThreadStatic]
    private static Dictionary<string, WordInfo>? t_cache;

    [ThreadStatic]
    private static EnglishStemmer? t_stemmer;

    private sealed record WordInfo(string Surface, string Stem, bool IsBoundary);

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>Tokenizes the question and the answer into content words grouped in runs.</summary>
    public static AnalyzedQa Analyze(string question, string? answer)
    {
        var tokens = new List<TopicToken>(64);
        var run = 0;
        AddTokens(question, inQuestion: true, tokens, ref run);
        var questionWords = tokens.Count;
        if (!string.IsNullOrEmpty(answer))
        {
            run++;
            AddTokens(answer, inQuestion: false, tokens, ref run);
        }

        return new AnalyzedQa(tokens, questionWords);
    }

    /// <summary>The stems of a tag's words (<c>postgres-indexes</c> → <c>postgr</c>, <c>index</c>), for matching tags.</summary>
    public static IReadOnlyList<string> TagStems(string tag)
    {
        var stems = new List<string>();
        foreach (var part in NormalizeTag(tag).Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            stems.Add(Word(part.AsSpan()).Stem);
        }

        return stems;
    }

    /// <summary>Lowercase, hyphenated, only letters and digits between hyphens: <c>Kubernetes Ingress</c> → <c>kubernetes-ingress</c>.</summary>
    public static string NormalizeTag(string tag)
    {
        var sb = new StringBuilder(tag.Length);
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

    private static void AddTokens(string text, bool inQuestion, List<TopicToken> tokens, ref int run)
    {
        using var stream = Words.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        var previousEnd = -1;
        var lastWasContent = false;
        while (stream.IncrementToken())
        {
            var span = term.Buffer.AsSpan(0, term.Length);
            var info = span is "net" && offset.StartOffset > 0 && text[offset.StartOffset - 1] == '.' ? Word("dotnet") : Word(span);
            var breaks = previousEnd >= 0 && HasPunctuation(text.AsSpan(previousEnd, Math.Max(0, offset.StartOffset - previousEnd)));
            previousEnd = offset.EndOffset;
            if (info.IsBoundary)
            {
                if (lastWasContent)
                {
                    run++;
                }

                lastWasContent = false;
                continue;
            }

            if (breaks && lastWasContent)
            {
                run++;
            }

            tokens.Add(new TopicToken(info.Stem, info.Surface, inQuestion, run));
            lastWasContent = true;
        }

        stream.End();
    }

    private static bool HasPunctuation(ReadOnlySpan<char> gap)
    {
        foreach (var c in gap)
        {
            if (c is '.' or ',' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '"' or '\n' or '\r' or '/' or '|' or '=' or '<' or '>')
            {
                return true;
            }
        }

        return false;
    }

    private static WordInfo Word(ReadOnlySpan<char> word)
    {
        var cache = t_cache ??= new Dictionary<string, WordInfo>(StringComparer.Ordinal);
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(word, out var info))
        {
            return info;
        }

        var surface = word.Contains('.') ? word.ToString().Replace(".", "", StringComparison.Ordinal) : word.ToString();
        var boundary = surface.Length < 2 || IsNumber(surface) || StopWords.Contains(surface);
        var stem = boundary ? surface : Stem(surface);
        info = new WordInfo(surface, stem, boundary);
        if (cache.Count >= MaxCacheEntries)
        {
            cache.Clear();
        }

        cache[word.ToString()] = info;
        return info;
    }

    private static string Stem(string word)
    {
        var stemmer = t_stemmer ??= new EnglishStemmer();
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }

    private static bool IsNumber(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsDigit(c) && c is not '.' and not ',' and not '_' and not '%')
            {
                return false;
            }
        }

        return true;
    }

    private static CharArraySet BuildStopWords()
    {
        var set = new CharArraySet(Version, 400, ignoreCase: true);
        using (var stream = typeof(SnowballFilter).Assembly.GetManifestResourceStream("Lucene.Net.Analysis.Common.Analysis.Snowball.english_stop.txt")
            ?? throw new InvalidOperationException("Lucene's Snowball English stop list is missing from Lucene.Net.Analysis.Common."))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            set.UnionWith(WordlistLoader.GetSnowballWordSet(reader, Version));
        }

        set.UnionWith(StopAnalyzer.ENGLISH_STOP_WORDS_SET);
        set.UnionWith(ConversationalWords);
        return set.AsReadOnly();
    }
}
