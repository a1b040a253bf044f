namespace Acms.Domain.Privacy;

/// <summary>
/// The privacy model of Q&amp;A rows in C#, the mirror of the SQL functions of migration 0030
/// (<c>acms_privacy_rank</c>, <c>acms_privacy_strictest</c>, <c>acms_question_shareable</c>, …); tests run both over the
/// same inputs. The database computes a row's effective level (<see cref="PrivacySql.LevelsOf"/>, which needs the
/// <c>query_logs</c> provenance); C# decides with that level what may leave: to an organisation output, to the LLM.
/// Levels, most shareable first: PUBLIC &lt; INTERNAL &lt; UNKNOWN &lt; CONFIDENTIAL &lt; LOCAL_ONLY.
/// </summary>
public static class PrivacyModel
{
    public const string Public = "PUBLIC";
    public const string Internal = "INTERNAL";
    public const string Unknown = "UNKNOWN";
    public const string Confidential = "CONFIDENTIAL";
    public const string LocalOnly = "LOCAL_ONLY";

    /// <summary>Indexed by rank.</summary>
    public static IReadOnlyList<string> Levels { get; } = [Public, Internal, Unknown, Confidential, LocalOnly];

    // The characters btrim(level, E' \t\n\r\f\x0B') removes in SQL; char.IsWhiteSpace would also strip Unicode spaces.
    private static readonly char[] TrimmedCharacters = [' ', '\t', '\n', '\r', '\f', '\v'];

    /// <summary>
    /// The rank of a raw value: surrounding ASCII whitespace ignored, ASCII letters case-folded (as SQL's
    /// <c>translate</c>), anything else — null, blank, unrecognised — ranks as UNKNOWN.
    /// </summary>
    public static int Rank(string? level)
    {
        if (level is null)
        {
            return 2;
        }

        var trimmed = level.Trim(TrimmedCharacters);
        return Fold(trimmed) switch
        {
            Public => 0,
            Internal => 1,
            Confidential => 3,
            LocalOnly => 4,
            _ => 2,
        };
    }

    /// <summary>The canonical name of a raw value (<c>acms_privacy_level</c>).</summary>
    public static string Normalize(string? level) => Levels[Rank(level)];

    /// <summary>The stricter of two levels (<c>acms_privacy_strictest</c>).</summary>
    public static string Strictest(string? a, string? b) => Levels[Math.Max(Rank(a), Rank(b))];

    /// <summary>
    /// The question may count in organisation outputs (as INTERNAL when UNKNOWN) and may be sent to the external LLM
    /// (<c>acms_question_shareable</c>). Takes a canonical level; anything else allows nothing.
    /// </summary>
    public static bool QuestionShareable(string? effectiveLevel) => effectiveLevel is Public or Internal or Unknown;

    /// <summary>
    /// The answer may feed organisation outputs and the LLM (<c>acms_answer_shareable</c>): PUBLIC or INTERNAL, or UNKNOWN
    /// when the deployment allows answers of unknown provenance (<see cref="PrivacyOptions.ShareAnswersOfUnknownProvenance"/>).
    /// </summary>
    public static bool AnswerShareable(string? effectiveLevel, bool allowUnknown) =>
        effectiveLevel is Public or Internal || (allowUnknown && effectiveLevel is Unknown);

    /// <summary>The question's text may be shown verbatim in organisation outputs (<c>acms_text_public</c>).</summary>
    public static bool TextPublic(string? effectiveLevel) => effectiveLevel is Public;

    // ASCII-only upper case, as SQL's translate(…, 'a…z', 'A…Z'): no culture, no Unicode case mapping.
    private static string Fold(string value) => string.Create(value.Length, value, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
        }
    });
}
