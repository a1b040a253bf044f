namespace Acms.Domain.Jobs.Dedup;

/// <param name="Left">The first differing token that decided it (null when the texts say the same thing).</param>
public sealed record MergeVerdict(MergeReason Reason, string? Left, string? Right)
{
    public static readonly MergeVerdict Same = new(MergeReason.SameMeaning, null, null);

    public bool Merge => Reason == MergeReason.SameMeaning;

    public override string ToString() => Merge ? "same meaning" : $"{Reason}: '{Left}' / '{Right}'";
}
