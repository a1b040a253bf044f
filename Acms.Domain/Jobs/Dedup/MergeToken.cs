namespace Acms.Domain.Jobs.Dedup;

/// <summary>What a token of a memory's text is, for the merge rule.</summary>
public enum MergeTokenKind
{
    /// <summary>Letters only (an apostrophe inside allowed): "page", "DBA", "Maria".</summary>
    Word,

    /// <summary>Letters joined by hyphens: "follow-up". Compared whole, never a typo.</summary>
    Compound,

    /// <summary>Anything with a digit: a number, date, time, version, amount, "db-prod-01", "10.0.0.1".</summary>
    Number,

    /// <summary>Code and addresses without digits: snake_case, camelCase, paths, URLs, e-mail addresses, "e.g".</summary>
    Identifier,

    /// <summary>A symbol that carries meaning (%, $, &amp;, +, =, &lt;, →).</summary>
    Symbol,
}

/// <param name="Key">The token as compared: lower case, typographic apostrophes as '.</param>
/// <param name="Capitalised">Starts with an upper-case letter.</param>
/// <param name="AllCaps">Two or more letters, all upper case (an acronym, or shouting).</param>
/// <param name="SentenceStart">First word of the text, of a line or of a sentence, where a capital says nothing.</param>
public readonly record struct MergeToken(string Key, MergeTokenKind Kind, bool Capitalised, bool AllCaps, bool SentenceStart)
{
    /// <summary>Capitalised where a capital means a name: not at a sentence start, or an acronym anywhere.</summary>
    public bool LooksLikeName => Kind == MergeTokenKind.Word && ((Capitalised && !SentenceStart) || AllCaps);

    public override string ToString() => Key;
}
