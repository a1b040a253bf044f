namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Longer aliases written with another name of a concept inside them: the lexicon lists "terraform state" and
/// "kubernetes ingress", and a question says "tf state" or "k8s ingress". Every word of a longer alias that is a concept's
/// one-word name or alias stands for that concept, in the lexicon and in the text alike, so any of the concept's names
/// matches there without each combination being listed. Built once at load; read-only afterwards.
/// </summary>
public sealed partial class TopicLexicon
{
    private readonly Dictionary<string, TopicConcept> _variantPhrases = new(StringComparer.Ordinal);

    /// <summary>One-word names that start some renamed alias ("tf" of "#terraform state"), with its most words.</summary>
    private readonly Dictionary<string, int> _variantStarts = new(StringComparer.Ordinal);

    /// <summary>A concept's token in renamed aliases ("#terraform"): no word can be one.</summary>
    private readonly Dictionary<string, string> _variantTokens = new(StringComparer.Ordinal);

    /// <summary>The concept a phrase of canonical word keys names, as written or with any of its words' concepts renamed.</summary>
    public TopicConcept? PhraseConcept(string[] keys)
    {
        if (_phrases.TryGetValue(string.Join(' ', keys), out var concept))
        {
            return concept;
        }

        // Most phrases tried are no alias at all: build the renamed phrase only when one of its words names a concept.
        string[]? variant = null;
        for (var i = 0; i < keys.Length; i++)
        {
            var renamed = Variant(keys[i]);
            if (!ReferenceEquals(renamed, keys[i]))
            {
                variant ??= (string[])keys.Clone();
                variant[i] = renamed;
            }
        }

        return variant is null ? null : _variantPhrases.GetValueOrDefault(string.Join(' ', variant));
    }

    private void IndexVariants()
    {
        foreach (var concept in _concepts)
        {
            _variantTokens[concept.Name] = "#" + concept.Name;
        }

        var starts = new Dictionary<string, int>(StringComparer.Ordinal);
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
                starts[variant[0]] = Math.Max(starts.GetValueOrDefault(variant[0]), words.Length);
            }
        }

        // A renamed alias starting with a plain word starts an alias as written too; one starting with a concept's
        // token starts with any of that concept's one-word names.
        foreach (var (key, concept) in _phrases)
        {
            if (!key.Contains(' ', StringComparison.Ordinal) && starts.TryGetValue(_variantTokens[concept.Name], out var most))
            {
                _variantStarts[key] = most;
            }
        }
    }

    /// <summary>The token of the concept a word names on its own ("#kubernetes" for k8s); else the word itself.</summary>
    private string Variant(string key) => _phrases.TryGetValue(key, out var concept) ? _variantTokens[concept.Name] : key;
}
