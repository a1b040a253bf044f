namespace Acms.Domain.Jobs.Dedup;

/// <summary>One user's memories as read by a scan, with their texts (NFKC, original case).</summary>
internal sealed class UserMemories(Guid userId)
{
    public Guid UserId { get; } = userId;
    public List<Member> Members { get; } = [];
    public List<string> Texts { get; } = [];

    public void Add(Member member, string text)
    {
        Members.Add(member);
        Texts.Add(text);
    }
}
