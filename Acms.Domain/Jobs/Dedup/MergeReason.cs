namespace Acms.Domain.Jobs.Dedup;

/// <summary>Why two memories may or may not be merged.</summary>
public enum MergeReason
{
    /// <summary>Every difference is formatting, punctuation, case, whitespace, a filler word or a typo: the same thing.</summary>
    SameMeaning,

    /// <summary>A number, date, time, version, amount or unit differs.</summary>
    Number,

    /// <summary>An identifier differs: host, IP, e-mail, URL, path, code token, hyphenated compound.</summary>
    Identifier,

    /// <summary>A capitalised word (not at a sentence start), an acronym or a known name differs.</summary>
    ProperNoun,

    /// <summary>A negation (not, no, never, n't, without, …) is added, dropped or changed.</summary>
    Negation,

    /// <summary>One of a pair of opposites (enable/disable, before/after, …) differs.</summary>
    Opposite,

    /// <summary>A meaningful symbol differs (%, $, &amp;, +, …).</summary>
    Symbol,

    /// <summary>Any other word differs and is not a one-letter typo of a five-plus-letter word.</summary>
    Wording,
}
