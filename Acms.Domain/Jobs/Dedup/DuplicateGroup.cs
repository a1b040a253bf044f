namespace Acms.Domain.Jobs.Dedup;

/// <summary>A planned merge: each duplicate was checked against this survivor (never through another member).</summary>
public sealed record DuplicateGroup(Guid UserId, Member Survivor, Member[] Duplicates)
{
    public IEnumerable<Member> Members => Duplicates.Prepend(Survivor);
}
