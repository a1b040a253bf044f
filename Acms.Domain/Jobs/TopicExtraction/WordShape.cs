namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// What a word is by its shape alone (ending, digits): adverbs, participles and gerunds are told apart from nouns
/// without a dictionary, and a generic verb of the word lists is expanded to its inflected forms.
/// </summary>
internal static class WordShape
{
    /// <summary>An adverb by its ending ("reproducibly", "eventually"); "-ily" and plain "-ly" are left alone ("family", "assembly").</summary>
    public static bool IsAdverb(string word) =>
        word.Length >= 6 && (word.EndsWith("ally", StringComparison.Ordinal) || word.EndsWith("ously", StringComparison.Ordinal)
            || word.EndsWith("ively", StringComparison.Ordinal) || word.EndsWith("fully", StringComparison.Ordinal)
            || word.EndsWith("ably", StringComparison.Ordinal) || word.EndsWith("ibly", StringComparison.Ordinal)
            || word.EndsWith("ently", StringComparison.Ordinal) || word.EndsWith("antly", StringComparison.Ordinal)
            || word.EndsWith("ately", StringComparison.Ordinal) || word.EndsWith("edly", StringComparison.Ordinal)
            || word.EndsWith("ingly", StringComparison.Ordinal));

    /// <summary>A past participle by its ending ("bumped", "deprecated"); "-eed" nouns ("feed", "speed") are left alone.</summary>
    public static bool IsParticiple(string word) =>
        word.Length >= 6 && word.EndsWith("ed", StringComparison.Ordinal) && !word.EndsWith("eed", StringComparison.Ordinal);

    /// <summary>A gerund by its ending ("destroying", "reviewing"): a vowel before "-ing" ("string", "thing" are not).</summary>
    public static bool IsGerund(string word) =>
        word.Length >= 6 && word.EndsWith("ing", StringComparison.Ordinal) && word.AsSpan(0, word.Length - 3).IndexOfAny(Vowels) >= 0;

    private static readonly System.Buffers.SearchValues<char> Vowels = System.Buffers.SearchValues.Create("aeiouy");

    /// <summary>
    /// A code identifier by its letter case: camelCase after a word of two or more letters ("useEffect",
    /// "getServerSideProps"), or a PascalCase error or exception type ("ModuleNotFoundError"). "iPhone", "macOS" and
    /// "GitHub" are not; the lexicon's own words never count as identifiers (the caller checks).
    /// </summary>
    public static bool IsIdentifier(ReadOnlySpan<char> raw)
    {
        var lowerRun = 0;
        while (lowerRun < raw.Length && char.IsLower(raw[lowerRun]))
        {
            lowerRun++;
        }

        if (lowerRun >= 2 && lowerRun < raw.Length && char.IsUpper(raw[lowerRun]))
        {
            return true;
        }

        var uppers = 0;
        foreach (var c in raw)
        {
            uppers += char.IsUpper(c) ? 1 : 0;
        }

        return uppers >= 2 && char.IsUpper(raw[0])
            && (raw.EndsWith("Error", StringComparison.Ordinal) || raw.EndsWith("Exception", StringComparison.Ordinal));
    }

    /// <summary>
    /// A snake_case name of two or three words of letters (<c>shared_buffers</c> → <c>shared-buffers</c>), the way a
    /// setting, a parameter or a function is named; null for anything else (paths, dotted names, ids with digits).
    /// </summary>
    public static string? SettingName(string key)
    {
        var parts = key.Split('_');
        if (parts.Length is < 2 or > 3)
        {
            return null;
        }

        foreach (var part in parts)
        {
            if (part.Length < 2 || !part.All(char.IsAsciiLetterLower))
            {
                return null;
            }
        }

        return string.Join('-', parts);
    }

    /// <summary>Only digits.</summary>
    public static bool IsNumber(string word)
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

    /// <summary>A verb's base form and its -s, -ed and -ing forms (spelling rules approximated; extra forms do no harm).</summary>
    public static IEnumerable<string> VerbForms(string verb)
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
