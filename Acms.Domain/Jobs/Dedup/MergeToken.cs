namespace Acms.Domain.Jobs.Dedup;

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
