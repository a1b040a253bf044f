namespace Acms.Domain.Jobs.Dedup;

/// <summary>PostgreSQL's uuid order (bytes as written), which is not <see cref="Guid.CompareTo(Guid)"/>'s.</summary>
public sealed class GuidOrder : IComparer<Guid>
{
    public static readonly GuidOrder Instance = new();

    public int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return ((ReadOnlySpan<byte>)a).SequenceCompareTo(b);
    }
}
