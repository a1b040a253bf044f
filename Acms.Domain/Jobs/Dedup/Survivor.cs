namespace Acms.Domain.Jobs.Dedup;

/// <summary>The survivor of a group: highest <c>crs_score</c>, then <c>outcome_score + frequency_score</c>, then oldest, then lowest id.</summary>
public static class Survivor
{
    public static Member Choose(IReadOnlyCollection<Member> members) => members.Order(Comparer<Member>.Create(Compare)).First();

    public static int Compare(Member a, Member b)
    {
        var c = b.Crs.CompareTo(a.Crs);
        if (c == 0)
        {
            c = b.Secondary.CompareTo(a.Secondary);
        }

        if (c == 0)
        {
            c = a.CreatedAt.CompareTo(b.CreatedAt);
        }

        return c != 0 ? c : GuidOrder.Instance.Compare(a.MemoryId, b.MemoryId);
    }
}
