using System.Collections.Frozen;
using System.IO.Compression;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// English words WordNet never knows as nouns: only as adjectives and adverbs ("loud", "cheap"), only as verbs ("rotate",
/// "resign"), or as past forms of a verb ("named", "told"), with their inflected forms: a topic is a noun or a noun
/// phrase. A verb comes with the nouns WordNet derives from it ("resign" → "resignation"), so a question that asks with
/// the verb can still be about the process the noun names. Derived from WordNet 3.0 (<c>Lexicon/non-nouns.tsv.gz</c>,
/// licence in <c>Lexicon/WORDNET-LICENSE.txt</c>) rather than listed by hand, so a verb or adjective no one thought of
/// is still kept out. Loaded once.
/// </summary>
internal static class NonNouns
{
    private const string Resource = "Acms.TopicLexicon.non-nouns.tsv.gz";

    private static readonly Lazy<FrozenDictionary<string, (WordClass Class, string[] Nouns)>> Words = new(Load);

    /// <summary>
    /// <see cref="WordClass.Generic"/> for an adjective, adverb or verb, which may stand in a phrase ("financial report")
    /// but is no topic alone; <see cref="WordClass.Filler"/> for a past form, never part of a topic; null for any word
    /// WordNet knows as a noun or does not know (jargon and product names stay candidates).
    /// </summary>
    public static WordClass? Classify(string lower) => Words.Value.TryGetValue(lower, out var entry) && entry.Class != WordClass.Content ? entry.Class : null;

    /// <summary>The nouns derived from a verb ("resigns" → "resignation"); empty for any other word.</summary>
    public static IReadOnlyList<string> Nominalizations(string lower) => Words.Value.TryGetValue(lower, out var entry) ? entry.Nouns : [];

    private static FrozenDictionary<string, (WordClass, string[])> Load()
    {
        using var stream = typeof(NonNouns).Assembly.GetManifestResourceStream(Resource)
                           ?? throw new InvalidOperationException($"Embedded word list {Resource} is missing.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var words = new Dictionary<string, (WordClass, string[])>(20_000, StringComparer.Ordinal);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            // word <TAB> v|a|p [<TAB> noun,noun]: a verb or an adjective or adverb is generic (in a phrase, never a topic
            // alone: "rotate" of "how often should we rotate our access keys"), and a verb lends its derived nouns; a past
            // form is filler. A newer noun WordNet 2006 knows only as a verb ("podcast") is a lexicon concept.
            var fields = line.Split('\t');
            var wordClass = fields[1] switch { "a" or "v" => WordClass.Generic, "p" => WordClass.Filler, _ => WordClass.Content };
            words[fields[0]] = (wordClass, fields.Length > 2 ? fields[2].Split(',') : []);
        }

        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
