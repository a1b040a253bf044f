using System.Text;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The curated vocabulary of the topic extractor, loaded from the files shipped in <c>Lexicon/</c>: concepts with their
/// canonical names and aliases (<c>topic-lexicon.txt</c>) and the word lists that say what can never be a topic
/// (<c>topic-words.txt</c>). Folds a word to its canonical key: plural to singular, a typo of a lexicon word (one
/// transposed letter pair; a missing or extra letter in words of 6+; one wrong letter in words of 8+) to that word. Immutable and thread-safe.
/// </summary>
public sealed partial class TopicLexicon
{
    private static readonly Lazy<TopicLexicon> Shipped = new(() => Parse(Resource("topic-lexicon.txt"), Resource("topic-words.txt")));

    private readonly Dictionary<string, TopicConcept> _phrases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WordClass> _classes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _smallTalk = new(StringComparer.Ordinal);
    private readonly HashSet<string> _setPhrase = new(StringComparer.Ordinal);
    private readonly HashSet<string> _foreign = new(StringComparer.Ordinal);
    private readonly HashSet<string> _singular = new(StringComparer.Ordinal);
    private static readonly string[] SingularEndings = ["dns", "aws", "ops", "redis", "kubernetes", "analytics", "stats"];
    private readonly Dictionary<string, string> _irregular = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lexiconWords = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _deletions = new(StringComparer.Ordinal);
    private readonly List<TopicConcept> _concepts = [];
    private readonly Dictionary<string, int> _phraseStarts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicConcept> _byName = new(StringComparer.Ordinal);

    private TopicLexicon()
    {
    }

    public static TopicLexicon Default => Shipped.Value;

    public IReadOnlyList<TopicConcept> Concepts => _concepts;

    /// <summary>Longest alias in words.</summary>
    public int MaxPhraseWords { get; private set; } = 1;

    /// <summary>The concept a phrase of canonical word keys (joined by single spaces) names, or null.</summary>
    public TopicConcept? Concept(string phraseKey) => _phrases.GetValueOrDefault(phraseKey);

    public bool IsConcept(string phraseKey) => _phrases.ContainsKey(phraseKey);

    /// <summary>The concept of a canonical topic name, or null when the topic is not in the lexicon.</summary>
    public TopicConcept? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Whether some alias of two or more words starts with this key (only then is a longer match tried).</summary>
    public bool StartsPhrase(string key) => _phraseStarts.ContainsKey(key) || _variantStarts.ContainsKey(key);

    /// <summary>The most words of an alias that starts with this key (1 when none of two or more does): the longest match worth trying.</summary>
    public int MaxPhraseWordsFrom(string key) => Math.Max(_phraseStarts.GetValueOrDefault(key, 1), _variantStarts.GetValueOrDefault(key, 1));

    /// <summary>
    /// The class of a canonical word key: a concept's one-word name or alias is content unless the word lists say
    /// otherwise; any other word by the lists, its shape (adverb, participle) and WordNet (<see cref="NonNouns"/>).
    /// </summary>
    public WordClass Classify(string key)
    {
        if (key.Length < 2 || WordShape.IsNumber(key))
        {
            // A bare number or letter is never a topic word, even where it is part of an alias ("gpt 4", "a/b test").
            return WordClass.Token;
        }

        if (_phrases.ContainsKey(key) && !_classes.ContainsKey(key))
        {
            // A concept's one-word name or alias. A word found only inside a longer alias ("cancelled" of "cancelled
            // flight") is still matched there, but alone it is judged like any other word.
            return WordClass.Content;
        }

        return _classes.TryGetValue(key, out var c) ? c
            : IsToken(key) ? WordClass.Token
            : WordShape.IsAdverb(key) || WordShape.IsParticiple(key) ? WordClass.Filler
            : NonNouns.Classify(key) ?? WordClass.Content;
    }

    /// <summary>
    /// The key of the concept a verb's derived noun names ("resigns" → <c>resignation</c>), when the verb is in neither the
    /// lexicon nor the word lists and one of its nouns is a one-word alias; otherwise null. "what do I do when an
    /// employee resigns" asks about resignation, and a topic is a noun.
    /// </summary>
    public string? Nominal(string key)
    {
        if (_lexiconWords.Contains(key) || _classes.ContainsKey(key))
        {
            return null;
        }

        foreach (var noun in NonNouns.Nominalizations(key))
        {
            var nounKey = Key(noun);
            if (_phrases.ContainsKey(nounKey))
            {
                return nounKey;
            }
        }

        return null;
    }

    /// <summary>A word of some concept's name or alias.</summary>
    public bool IsLexiconWord(string key) => _lexiconWords.Contains(key);

    /// <summary>A function word of German, Spanish or French that no English word spells ("und", "pour", "cómo").</summary>
    public bool IsForeignWord(string key) => _foreign.Contains(key);

    /// <summary>A word of greeting, thanks, acknowledgement or farewell.</summary>
    public bool IsSmallTalk(string key) => _smallTalk.Contains(key);

    /// <summary>A social word only inside a set phrase ("got it", "are you there"), an ordinary word elsewhere.</summary>
    public bool IsSetPhraseWord(string key) => _setPhrase.Contains(key);

    /// <summary>The singular of an English plural (<c>queries</c> → <c>query</c>); other words unchanged.</summary>
    public string Singular(string word)
    {
        if (_irregular.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (word.Length <= 3 || word[^1] != 's' || _singular.Contains(word) || _phrases.ContainsKey(word)
            || word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal) || word.EndsWith("is", StringComparison.Ordinal))
        {
            return word;
        }

        // Compounds of a word that only looks plural: "coredns", "devops".
        foreach (var ending in SingularEndings)
        {
            if (word.EndsWith(ending, StringComparison.Ordinal))
            {
                return word;
            }
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return string.Concat(word.AsSpan(0, word.Length - 3), "y");
        }

        foreach (var suffix in (ReadOnlySpan<string>)["sses", "xes", "zzes", "shes", "tches", "oaches", "eaches", "rches", "nches"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return word[..^2];
            }
        }

        return word[..^1];
    }

    /// <summary>
    /// The canonical topic of a tag written by anyone (the LLM, a label): its words folded, and each longest stretch of
    /// words that spells a concept alias replaced by the concept's name (<c>Postgres</c> → <c>postgresql</c>,
    /// <c>postgres-vacuum</c> → <c>postgresql-vacuum</c>, <c>K8s Pods</c> → <c>kubernetes-pod</c>).
    /// </summary>
    public string Canonicalize(string tag)
    {
        var keys = TopicTokenizer.Words(tag).ConvertAll(Key);
        var parts = new List<string>(keys.Count);
        for (var i = 0; i < keys.Count;)
        {
            var matched = false;
            for (var length = Math.Min(MaxPhraseWords, keys.Count - i); length >= 1 && !matched; length--)
            {
                if (_phrases.TryGetValue(string.Join(' ', keys.GetRange(i, length)), out var concept))
                {
                    parts.Add(concept.Name);
                    i += length;
                    matched = true;
                }
            }

            if (!matched)
            {
                parts.Add(keys[i++]);
            }
        }

        return string.Join('-', parts.Distinct(StringComparer.Ordinal));
    }

    /// <summary>A normalized word's canonical key: singular, typos folded.</summary>
    public string Key(string word)
    {
        word = Unstretch(word);
        var singular = FoldPlural(word);
        if (CorrectTypo(singular) is { } corrected)
        {
            return corrected;
        }

        return singular;
    }

    /// <summary>A stretched word ("youuuu", "helloooo", "sooo") with its repeated letters folded to the form the lists know.</summary>
    private string Unstretch(string word)
    {
        var stretched = false;
        for (var i = 2; i < word.Length && !stretched; i++)
        {
            stretched = word[i] == word[i - 1] && word[i] == word[i - 2];
        }

        if (!stretched)
        {
            return word;
        }

        var two = Collapse(word, 2);
        if (Known(two))
        {
            return two;
        }

        var one = Collapse(word, 1);
        return Known(one) ? one : two;

        bool Known(string w) => _classes.ContainsKey(w) || _smallTalk.Contains(w) || _lexiconWords.Contains(w);

        static string Collapse(string w, int keep)
        {
            var sb = new StringBuilder(w.Length);
            foreach (var c in w)
            {
                var run = 0;
                for (var k = sb.Length - 1; k >= 0 && sb[k] == c; k--)
                {
                    run++;
                }

                if (run < keep)
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>The singular of a word, except stop and filler words, which stay as written ("does", "news").</summary>
    private string FoldPlural(string word) =>
        _classes.TryGetValue(word, out var c) && c is WordClass.Stop or WordClass.Filler ? word : Singular(word);

    /// <summary>A number, or letters and digits mixed that the lexicon does not know (<c>40m</c>, <c>a1b2</c>).</summary>
    private bool IsToken(string word)
    {
        if (word.Length < 2)
        {
            return true;
        }

        var digits = 0;
        foreach (var c in word)
        {
            digits += char.IsDigit(c) ? 1 : 0;
        }

        return digits > 0 && !_lexiconWords.Contains(word);
    }
}
