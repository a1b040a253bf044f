namespace Acms.Domain.Demo;

/// <summary>Realistic near-duplicate variants of a memory's text, for demo and benchmark seeders (deterministic).</summary>
public static class NearDuplicateText
{
    public const int Kinds = 5;

    /// <summary>
    /// <paramref name="kind"/> modulo <see cref="Kinds"/>: 0 upper-cased first letter / lower-cased rest, 1 extra whitespace,
    /// 2 trailing punctuation, 3 all upper case, 4 a one-word typo (two adjacent letters swapped in the longest word).
    /// Kinds 0–3 normalize to the same text as the original; kind 4 is a near duplicate only for longer texts.
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
        var longest = 0;
        for (var i = 1; i < words.Length; i++)
        {
            if (words[i].Length > words[longest].Length)
            {
                longest = i;
            }
        }

        var word = words[longest].ToCharArray();
        if (word.Length < 4)
        {
            return text + " ";
        }

        var at = word.Length / 2;
        (word[at], word[at - 1]) = (word[at - 1], word[at]);
        words[longest] = new string(word);
        return string.Join(' ', words);
    }
}
