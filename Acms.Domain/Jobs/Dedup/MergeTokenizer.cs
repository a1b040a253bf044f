using System.Globalization;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Splits a memory's text (NFKC, original case) into the tokens the merge rule compares. Whitespace and formatting
/// punctuation (. , ; : ! ? quotes, brackets, dashes, markdown * _ # &gt;) are dropped, but mark where sentences start;
/// "n't" becomes "not" ("don't" = "do not"); everything with a digit stays one token ("db-prod-01", "-5°C", "$30", "v1.2").
/// </summary>
public static class MergeTokenizer
{
    private const string LeadingFormatting = "([{\"'`«“‘„*_#>•·—–";
    private const string TrailingFormatting = ".,;:!?)]}\"'`»”’*_…—–-";
    private const string SentenceEnds = ".!?:…";

    public static List<MergeToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<MergeToken>();
        var sentenceStart = true;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                sentenceStart |= text[i] is '\n' or '\r' or '\u2028' or '\u2029';
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            sentenceStart = AddChunk(text.AsSpan(i, end - i), sentenceStart, tokens);
            i = end;
        }

        return tokens;
    }

    /// <summary>Adds one whitespace-delimited chunk; returns whether the next word starts a sentence.</summary>
    private static bool AddChunk(ReadOnlySpan<char> chunk, bool sentenceStart, List<MergeToken> tokens)
    {
        var start = 0;
        var end = chunk.Length;
        // A leading '-' before a digit is a minus sign, not a bullet.
        while (start < end && (LeadingFormatting.Contains(chunk[start]) || (chunk[start] == '-' && (start + 1 >= end || !char.IsDigit(chunk[start + 1])))))
        {
            start++;
        }

        var endsSentence = false;
        while (end > start && TrailingFormatting.Contains(chunk[end - 1]))
        {
            endsSentence |= SentenceEnds.Contains(chunk[end - 1]);
            end--;
        }

        if (start == end)
        {
            // Only formatting (a bullet, "--", "..."): a line of its own starts a sentence after it.
            return sentenceStart || endsSentence || chunk.ContainsAny(SentenceEnds);
        }

        var core = chunk[start..end].ToString().Replace('’', '\'').Replace('‘', '\'');
        var kind = Classify(core);
        if (kind == MergeTokenKind.Word && IsMixedCase(core))
        {
            kind = MergeTokenKind.Identifier; // camelCase, PostgreSQL: a name in code, never a typo
        }

        var key = core.ToLowerInvariant();
        var capitalised = char.IsUpper(core[0]);
        var allCaps = core.Length > 1 && core.All(c => !char.IsLetter(c) || char.IsUpper(c));
        if (kind == MergeTokenKind.Word && key.EndsWith("n't", StringComparison.Ordinal) && key.Length > 3)
        {
            var stem = key[..^3] switch
            {
                "won" => "will",
                "ca" => "can",
                "sha" => "shall",
                "ai" => "is",
                var other => other,
            };
            tokens.Add(new MergeToken(stem, kind, capitalised, allCaps, sentenceStart));
            tokens.Add(new MergeToken("not", kind, false, allCaps, false));
        }
        else if (kind == MergeTokenKind.Word && key == "cannot")
        {
            tokens.Add(new MergeToken("can", kind, capitalised, allCaps, sentenceStart));
            tokens.Add(new MergeToken("not", kind, false, allCaps, false));
        }
        else
        {
            tokens.Add(new MergeToken(key, kind, capitalised, allCaps, sentenceStart));
        }

        return endsSentence;
    }

    private static MergeTokenKind Classify(string core)
    {
        bool letters = false, digits = false, hyphens = false, other = false, symbol = false;
        foreach (var c in core)
        {
            if (char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark || c == '\'')
            {
                letters |= char.IsLetter(c);
            }
            else if (char.IsDigit(c))
            {
                digits = true;
            }
            else if (c == '-')
            {
                hyphens = true;
            }
            else if (c is '.' or '_' or '/' or '\\' or '@' or ':' or ',' or '?' or '!' or '=' or '#' or '~' or '(' or ')')
            {
                other = true;
            }
            else
            {
                symbol = true;
            }
        }

        return digits ? MergeTokenKind.Number
            : !letters ? MergeTokenKind.Symbol
            : symbol || other ? MergeTokenKind.Identifier
            : hyphens ? MergeTokenKind.Compound
            : MergeTokenKind.Word;
    }

    private static bool IsMixedCase(string word)
    {
        for (var i = 1; i < word.Length; i++)
        {
            if (char.IsUpper(word[i]) && char.IsLower(word[i - 1]))
            {
                return true;
            }
        }

        return false;
    }
}
