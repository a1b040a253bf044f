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
