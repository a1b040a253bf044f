namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Longer aliases written with another name of a concept inside them: the lexicon lists "terraform state" and
/// "kubernetes ingress", and a question says "tf state" or "k8s ingress". Every word of a longer alias that is a concept's
/// one-word name or alias stands for that concept, in the lexicon and in the text alike, so any of the concept's names
/// matches there without each combination being listed.
/// </summary>
public sealed partial class TopicLexicon
{
    private readonly Dictionary<string, TopicConcept> _variantPhrases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _variantStarts = new(StringComparer.Ordinal);

    /// <summary>The concept a phrase of canonical word keys names, as written or with any of its words' concepts renamed.</summary>
    public TopicConcept? PhraseConcept(string[] keys)
    {
        if (_phrases.TryGetValue(string.Join(' ', keys), out var concept))
        {
            return concept;
        }

        var variant = new string[keys.Length];
        var renamed = false;
        for (var i = 0; i < keys.Length; i++)
        {
            variant[i] = Variant(keys[i]);
            renamed |= !ReferenceEquals(variant[i], keys[i]);
        }

        return renamed ? _variantPhrases.GetValueOrDefault(string.Join(' ', variant)) : null;
    }

    private void IndexVariants()
    {
        foreach (var (key, concept) in _phrases)
        {
            if (!key.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            var words = key.Split(' ');
            var variant = Array.ConvertAll(words, Variant);
            var renamed = string.Join(' ', variant);
            if (renamed != key && _variantPhrases.TryAdd(renamed, concept))
            {
                _variantStarts[variant[0]] = Math.Max(_variantStarts.GetValueOrDefault(variant[0]), words.Length);
            }
        }
    }

    /// <summary>The concept a word names on its own, as a token no word can be ("#kubernetes" for k8s); else the word.</summary>
    private string Variant(string key) =>
        _phrases.TryGetValue(key, out var concept) ? _variantTokens.GetOrAdd(concept.Name, static n => "#" + n) : key;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _variantTokens = new(StringComparer.Ordinal);
}
