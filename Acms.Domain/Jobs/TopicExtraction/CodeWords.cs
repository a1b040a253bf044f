using System.Collections.Frozen;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// What a code word (<see cref="RawWord.Code"/>) can still say: the concept the lexicon knows it as (<c>pg_dump</c>), or,
/// in a dotted name, the module it belongs to (<c>psycopg2.OperationalError</c> → <c>psycopg</c>, <c>pd.read_csv</c> →
/// <c>pandas</c>) or else the snake_case member it calls (<c>sklearn_utils.train_test_split</c> → <c>train_test_split</c>,
/// which the question may name as a setting). A source file gives its language (<c>Table.tsx</c> → <c>typescript</c>);
/// another file name or a Java package (<c>settings.toml</c>, <c>com.acme.billing.InvoiceService</c>) keeps its whole
/// key and so stays no topic.
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

    /// <summary>
    /// The language a source file is written in, by its extension: a question about <c>InvoiceService.java:88</c> or
    /// <c>Table.tsx</c> is about Java or TypeScript as much as one that names them. Only extensions of one language; a
    /// data or document format (<c>.json</c>, <c>.csv</c>, <c>.md</c>) says nothing of what the question is about.
    /// </summary>
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SourceLanguages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["py"] = "python", ["ipynb"] = "jupyter", ["java"] = "java", ["kt"] = "kotlin", ["ts"] = "typescript", ["tsx"] = "typescript",
        ["js"] = "javascript", ["jsx"] = "javascript", ["mjs"] = "javascript", ["cjs"] = "javascript", ["cs"] = "csharp",
        ["rb"] = "ruby", ["php"] = "php", ["go"] = "golang", ["rs"] = "rust", ["swift"] = "swift", ["cpp"] = "cpp",
        ["tf"] = "terraform", ["tfvars"] = "terraform", ["bicep"] = "bicep", ["vue"] = "vuejs", ["svelte"] = "svelte",
        ["ps1"] = "powershell", ["sql"] = "sql", ["scss"] = "sass", ["gradle"] = "gradle", ["proto"] = "protocol-buffers",
        ["sh"] = "bash",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

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

        var last = raw.LastIndexOf('.');
        if (last == dot && SourceLanguages.TryGetValue(raw[(dot + 1)..], out var language)
            && lexicon.ByName(language) is not null)
        {
            return language;
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

        var member = raw[(last + 1)..];
        return member.Contains('_') ? TopicTokenizer.Normalize(member) : normalized;
    }
}
