namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// What a code word (<see cref="RawWord.Code"/>) can still say: the concept the lexicon knows it as (<c>pg_dump</c>), or,
/// in a dotted name, the module it belongs to (<c>psycopg2.OperationalError</c> → <c>psycopg</c>, <c>pd.read_csv</c> →
/// <c>pandas</c>) or else the snake_case member it calls (<c>sklearn_utils.train_test_split</c> → <c>train_test_split</c>,
/// which the question may name as a setting). A file name or a Java package (<c>settings.toml</c>,
/// <c>com.acme.billing.InvoiceService</c>) keeps its whole key and so stays no topic.
/// </summary>
internal static class CodeWords
{
    /// <summary>The short names Python code imports these modules under by convention ("import numpy as np").</summary>
    private static readonly Dictionary<string, string> ModuleAliases = new(StringComparer.Ordinal)
    {
        ["np"] = "numpy", ["pd"] = "pandas", ["plt"] = "matplotlib", ["sns"] = "seaborn", ["tf"] = "tensorflow",
    };

    /// <summary>
    /// A word of two parts of two or more characters joined by a dot (<c>np.array</c>, <c>tf.keras</c>): code unless the
    /// lexicon knows it (<c>node.js</c>); not an abbreviation (<c>e.g</c>, <c>U.S</c>).
    /// </summary>
    public static bool IsDotted(ReadOnlySpan<char> raw)
    {
        var dot = raw.IndexOf('.');
        return dot >= 2 && raw.Length - dot - 1 >= 2;
    }

    /// <summary>The lexicon concept of a code word's key, its singular included.</summary>
    public static TopicConcept? Concept(string key, TopicLexicon lexicon) =>
        lexicon.Concept(key) ?? lexicon.Concept(lexicon.Singular(key));

    /// <summary>The key a code word is looked up by: see the class summary.</summary>
    public static string Key(ReadOnlySpan<char> raw, string normalized, TopicLexicon lexicon)
    {
        var dot = raw.IndexOf('.');
        if (dot <= 0 || Concept(normalized, lexicon) is not null)
        {
            return normalized;
        }

        var module = TopicTokenizer.Normalize(raw[..dot]);
        if (ModuleAliases.TryGetValue(module, out var name) && lexicon.ByName(name) is not null)
        {
            return name;
        }

        if (Concept(module, lexicon) is not null)
        {
            return module;
        }

        var member = raw[(raw.LastIndexOf('.') + 1)..];
        return member.Contains('_') ? TopicTokenizer.Normalize(member) : normalized;
    }
}
