namespace Acms.Domain.Demo;

/// <summary>Realistic near-duplicate variants of a memory's text, for demo and benchmark seeders (deterministic).</summary>
public static class NearDuplicateText
{
    public const int Kinds = 5;

    /// <summary>
    /// <paramref name="kind"/> modulo <see cref="Kinds"/>: 0 upper-cased first letter / lower-cased rest, 1 extra whitespace,
    /// 2 trailing punctuation, 3 all upper case, 4 a one-word typo (two adjacent letters swapped in the longest plain
    /// lower-case word: not in a name, code token or number, which dedup rightly never merges). Kinds 0–3 normalize to
    /// the same text as the original; kind 4 is merged by dedup when the misspelling can only be that word.
    /// </summary>
    public static string Variant(string text, int kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        var k = ((kind % Kinds) + Kinds) % Kinds;
        return k switch
        {
            0 => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant(),
            1 => "  " + text.Replace(" ", "   ", StringComparison.Ordinal) + "\n",
            2 => text.TrimEnd('.', '!', '?') + (kind / Kinds % 2 == 0 ? "." : "!!"),
            3 => text.ToUpperInvariant(),
            _ => Typo(text),
        };
    }

    private static string Typo(string text)
    {
        var words = text.Split(' ');
        var longest = -1;
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].All(char.IsAsciiLetterLower) && (longest < 0 || words[i].Length > words[longest].Length))
            {
                longest = i;
            }
        }

        if (longest < 0 || words[longest].Length < 6)
        {
            return text + " ";
        }

        var word = words[longest].ToCharArray();
        var at = word.Length / 2;
        (word[at], word[at - 1]) = (word[at - 1], word[at]);
        words[longest] = new string(word);
        return string.Join(' ', words);
    }
}
