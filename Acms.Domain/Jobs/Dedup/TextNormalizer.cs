using System.Text;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// The text two memories are compared by: Unicode NFKC (applied by PostgreSQL's <c>normalize(content, NFKC)</c> when the
/// job reads memories, because .NET's own normalization is a no-op in globalization-invariant mode), then case folding
/// (invariant lower-casing), whitespace runs collapsed to one space, trimmed, trailing sentence punctuation dropped.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Characters that end a sentence (after NFKC: full-width forms are already ASCII; '…' is already "...").</summary>
    private static bool IsSentenceEnd(char c) => c is '.' or '!' or '?' or '。' or '‼' or '⁇' or '⁈' or '⁉';

    /// <param name="nfkcText">Text already in NFKC (see the class summary).</param>
    public static string Normalize(string nfkcText)
    {
        ArgumentNullException.ThrowIfNull(nfkcText);
        var lower = nfkcText.ToLowerInvariant();
        var builder = new StringBuilder(lower.Length);
        var pendingSpace = false;
        foreach (var c in lower)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        var end = builder.Length;
        while (end > 0 && (IsSentenceEnd(builder[end - 1]) || builder[end - 1] == ' '))
        {
            end--;
        }

        // Text made only of punctuation ("!!!", "?") keeps it: it must not become "" and match every other such text.
        return end == 0 ? builder.ToString() : builder.ToString(0, end);
    }
}
