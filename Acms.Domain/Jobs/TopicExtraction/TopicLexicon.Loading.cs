using System.Text;
using Acms.Domain.Jobs.Dedup;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Loading of <see cref="TopicLexicon"/>: the two shipped files (embedded resources) or a test's own text, parsed into the
/// lookup tables once; a malformed line or a parent that is not a concept fails the load.
/// </summary>
public sealed partial class TopicLexicon
{
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

        result.IndexVariants();
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
                    case "foreign":
                        // Only a word that is neither an English stop word nor an English word marks another language
                        // ("und", "pour"; not "die", "son", "con").
                        if (!(_classes.TryGetValue(Norm(word), out var known) && known == WordClass.Stop) && !EnglishWords.IsCommon(Norm(word)))
                        {
                            _foreign.Add(Norm(word));
                        }

                        _classes[Norm(word)] = WordClass.Stop;
                        break;
                    case "filler":
                        _classes.TryAdd(Norm(word), WordClass.Filler);
                        break;
                    case "verbs":
                        foreach (var form in WordShape.VerbForms(Norm(word)))
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
                    case "setphrase":
                        _setPhrase.Add(_smallTalk.Contains(Norm(word))
                            ? Norm(word)
                            : throw new FormatException($"topic-words.txt: the set-phrase word '{word}' is not listed under [smalltalk]."));
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
                    _phraseStarts[keys[0]] = Math.Max(_phraseStarts.GetValueOrDefault(keys[0]), keys.Count);
                }

                MaxPhraseWords = Math.Max(MaxPhraseWords, keys.Count);
            }
        }
    }

    private static string Norm(string word) => TopicTokenizer.Normalize(word);
}
