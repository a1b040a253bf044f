using System.Text;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The curated vocabulary of the topic extractor, loaded from the files shipped in <c>Lexicon/</c>: concepts with their
/// canonical names and aliases (<c>topic-lexicon.txt</c>) and the word lists that say what can never be a topic
/// (<c>topic-words.txt</c>). Folds a word to its canonical key: plural to singular, a typo of a lexicon word (one
/// transposed letter pair; a missing or extra letter in words of 6+; one wrong letter in words of 8+) to that word. Immutable and thread-safe.
/// </summary>
public sealed class TopicLexicon
{
    private static readonly Lazy<TopicLexicon> Shipped = new(() => Parse(Resource("topic-lexicon.txt"), Resource("topic-words.txt")));

    private readonly Dictionary<string, TopicConcept> _phrases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WordClass> _classes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _smallTalk = new(StringComparer.Ordinal);
    private readonly HashSet<string> _singular = new(StringComparer.Ordinal);
    private static readonly string[] SingularEndings = ["dns", "aws", "ops", "redis", "kubernetes", "analytics", "stats"];
    private readonly Dictionary<string, string> _irregular = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lexiconWords = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _deletions = new(StringComparer.Ordinal);
    private readonly List<TopicConcept> _concepts = [];
    private readonly HashSet<string> _phraseStarts = new(StringComparer.Ordinal);
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
    public bool StartsPhrase(string key) => _phraseStarts.Contains(key);

    /// <summary>The class of a canonical word key; words of the lexicon are content whatever the lists say.</summary>
    public WordClass Classify(string key)
    {
        if (key.Length < 2 || IsNumber(key))
        {
            // A bare number or letter is never a topic word, even where it is part of an alias ("gpt 4", "a/b test").
            return WordClass.Token;
        }

        if (_lexiconWords.Contains(key) && !_classes.ContainsKey(key))
        {
            return WordClass.Content;
        }

        return _classes.TryGetValue(key, out var c) ? c
            : IsToken(key) ? WordClass.Token
            : (IsAdverb(key) || IsParticiple(key)) && !_lexiconWords.Contains(key) ? WordClass.Filler
            : WordClass.Content;
    }

    /// <summary>A word of some concept's name or alias.</summary>
    public bool IsLexiconWord(string key) => _lexiconWords.Contains(key);

    /// <summary>A word of greeting, thanks, acknowledgement or farewell.</summary>
    public bool IsSmallTalk(string key) => _smallTalk.Contains(key);

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
    /// The lexicon word a misspelt word stands for (<c>kuberentes</c> → <c>kubernetes</c>), a transposed filler word
    /// (<c>rigth</c> → <c>right</c>), or null. Words of 5 letters or more only; known words are never corrected.
    /// </summary>
    public string? CorrectTypo(string word)
    {
        if (word.Length < 5 || _classes.ContainsKey(word) || _lexiconWords.Contains(word) || _smallTalk.Contains(word) || IsToken(word))
        {
            return null;
        }

        string? best = null;
        void Consider(List<string>? targets)
        {
            if (targets is null)
            {
                return;
            }

            foreach (var target in targets)
            {
                if ((best is null || string.CompareOrdinal(target, best) < 0) && IsTypoOf(word, target))
                {
                    best = target;
                }
            }
        }

        Consider(_deletions.GetValueOrDefault(word));
        var sb = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            sb.Clear().Append(word, 0, i).Append(word, i + 1, word.Length - i - 1);
            var deleted = sb.ToString();
            Consider(_deletions.GetValueOrDefault(deleted));
        }

        return best;
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

    /// <summary>An adverb by its ending ("reproducibly", "eventually"); "-ily" and plain "-ly" are left alone ("family", "assembly").</summary>
    private static bool IsAdverb(string word) =>
        word.Length >= 6 && (word.EndsWith("ally", StringComparison.Ordinal) || word.EndsWith("ously", StringComparison.Ordinal)
            || word.EndsWith("ively", StringComparison.Ordinal) || word.EndsWith("fully", StringComparison.Ordinal)
            || word.EndsWith("ably", StringComparison.Ordinal) || word.EndsWith("ibly", StringComparison.Ordinal)
            || word.EndsWith("ently", StringComparison.Ordinal) || word.EndsWith("antly", StringComparison.Ordinal)
            || word.EndsWith("ately", StringComparison.Ordinal) || word.EndsWith("edly", StringComparison.Ordinal)
            || word.EndsWith("ingly", StringComparison.Ordinal));

    /// <summary>A past participle by its ending ("bumped", "deprecated"); "-eed" nouns ("feed", "speed") are left alone.</summary>
    private static bool IsParticiple(string word) =>
        word.Length >= 6 && word.EndsWith("ed", StringComparison.Ordinal) && !word.EndsWith("eed", StringComparison.Ordinal);

    /// <summary>A gerund by its ending ("destroying", "reviewing"): a vowel before "-ing" ("string", "thing" are not).</summary>
    public static bool IsGerund(string word) =>
        word.Length >= 6 && word.EndsWith("ing", StringComparison.Ordinal) && word.AsSpan(0, word.Length - 3).IndexOfAny(Vowels) >= 0;

    private static readonly System.Buffers.SearchValues<char> Vowels = System.Buffers.SearchValues.Create("aeiouy");

    private static bool IsNumber(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsTypoOf(string word, string target)
    {
        // Words of the filler lists are only matched by a transposition (a swapped pair rarely spells another word) or, in
        // words of 7+ letters, a missing or extra letter.
        var distance = OptimalStringAlignment(word, target);
        if (distance != 1)
        {
            return false;
        }

        if (!_lexiconWords.Contains(target) && !_smallTalk.Contains(target))
        {
            return word.Length == target.Length ? IsTransposition(word, target) : Math.Min(word.Length, target.Length) >= 7;
        }

        // A missing or extra letter only in words of 6+ ("phone" is not "iphone", "broke" not "broker").
        return IsTransposition(word, target) || (word.Length >= 6 && (word.Length != target.Length || word.Length >= 8));
    }

    private static bool IsTransposition(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }

        return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2));
    }

    private static int OptimalStringAlignment(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return 2;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string Resource(string name)
    {
        using var stream = typeof(TopicLexicon).Assembly.GetManifestResourceStream("Acms.TopicLexicon." + name)
            ?? throw new InvalidOperationException($"The topic lexicon file {name} is missing from Acms.Domain.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Builds a lexicon from the text of the two files (tests use their own).</summary>
    public static TopicLexicon Parse(string lexicon, string words)
    {
        var result = new TopicLexicon();
        result.ParseWords(words);
        result.ParseConcepts(lexicon);
        foreach (var concept in result._concepts)
        {
            if (concept.Parent is { } parent && !result._byName.ContainsKey(parent))
            {
                throw new FormatException($"topic-lexicon.txt: the parent '{parent}' of '{concept.Name}' is not a concept.");
            }
        }

        result.IndexTypos();
        return result;
    }

    private void ParseWords(string text)
    {
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                switch (section)
                {
                    case "stop":
                        _classes[Norm(word)] = WordClass.Stop;
                        break;
                    case "filler":
                        _classes.TryAdd(Norm(word), WordClass.Filler);
                        break;
                    case "verbs":
                        foreach (var form in VerbForms(Norm(word)))
                        {
                            _classes.TryAdd(form, WordClass.Filler);
                        }

                        break;
                    case "generic":
                        _classes.TryAdd(Norm(word), WordClass.Generic);
                        break;
                    case "smalltalk":
                        // Social words are never part of a topic either ("lifesaver", "buddy").
                        _smallTalk.Add(Norm(word));
                        _classes.TryAdd(Norm(word), WordClass.Filler);
                        break;
                    case "singular":
                        _singular.Add(Norm(word));
                        break;
                    case "irregular" when word.Split('=') is [var plural, var singular]:
                        _irregular[Norm(plural)] = Norm(singular);
                        break;
                    default:
                        throw new FormatException($"topic-words.txt: '{word}' is outside a known section ({section}).");
                }
            }
        }

        // The generic nouns' plurals are generic too.
        foreach (var (word, wordClass) in _classes.ToList())
        {
            if (wordClass == WordClass.Generic)
            {
                _classes.TryAdd(word + "s", WordClass.Generic);
            }
        }
    }

    private void ParseConcepts(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('|');
            if (parts.Length is not 3 and not 4)
            {
                throw new FormatException($"topic-lexicon.txt: '{line}' is not 'canonical | kind | aliases [| parent]'.");
            }

            var aliases = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parent = parts.Length == 4 && parts[3].Trim() is { Length: > 0 } p ? p : null;
            var concept = new TopicConcept(parts[0].Trim(), parts[1].Trim(), aliases, parent);
            if (!_byName.TryAdd(concept.Name, concept))
            {
                throw new FormatException($"topic-lexicon.txt: '{concept.Name}' is listed twice.");
            }

            _concepts.Add(concept);
            foreach (var alias in aliases.Prepend(concept.Name))
            {
                var words = TopicTokenizer.Words(alias);
                if (words.Count == 0)
                {
                    continue;
                }

                var keys = words.ConvertAll(FoldPlural);
                foreach (var key in keys)
                {
                    _lexiconWords.Add(key);
                }

                // The first concept to claim an alias keeps it.
                _phrases.TryAdd(string.Join(' ', keys), concept);
                if (keys.Count > 1)
                {
                    _phraseStarts.Add(keys[0]);
                }

                MaxPhraseWords = Math.Max(MaxPhraseWords, keys.Count);
            }
        }
    }

    /// <summary>Every lexicon, small-talk, filler and stop word of 5 letters or more, indexed by its one-letter deletions.</summary>
    private void IndexTypos()
    {
        var targets = _lexiconWords.Concat(_smallTalk).Concat(_classes.Keys)
            .Where(w => w.Length >= 5 && !IsToken(w)).Distinct(StringComparer.Ordinal);
        foreach (var word in targets)
        {
            Add(word, word);
            for (var i = 0; i < word.Length; i++)
            {
                Add(string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1)), word);
            }
        }

        void Add(string key, string word)
        {
            if (!_deletions.TryGetValue(key, out var list))
            {
                _deletions[key] = list = new List<string>(1);
            }

            if (!list.Contains(word))
            {
                list.Add(word);
            }
        }
    }

    private static string Norm(string word) => TopicTokenizer.Normalize(word);

    /// <summary>A verb's base form and its -s, -ed and -ing forms (spelling rules approximated; extra forms do no harm).</summary>
    private static IEnumerable<string> VerbForms(string verb)
    {
        yield return verb;
        var stem = verb.EndsWith('e') ? verb[..^1] : verb;
        yield return verb.EndsWith('s') || verb.EndsWith("sh", StringComparison.Ordinal) || verb.EndsWith("ch", StringComparison.Ordinal) || verb.EndsWith('x')
            ? verb + "es"
            : verb.EndsWith('y') && verb.Length > 2 && !"aeiou".Contains(verb[^2]) ? verb[..^1] + "ies" : verb + "s";
        yield return verb.EndsWith('y') && verb.Length > 2 && !"aeiou".Contains(verb[^2]) ? verb[..^1] + "ied" : stem + "ed";
        yield return stem + "ing";
        if (verb.Length >= 3 && !"aeiouwxy".Contains(verb[^1]) && "aeiou".Contains(verb[^2]) && !"aeiou".Contains(verb[^3]))
        {
            yield return verb + verb[^1] + "ed";
            yield return verb + verb[^1] + "ing";
        }
    }
}
