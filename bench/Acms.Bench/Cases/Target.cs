namespace Acms.Bench.Cases;

/// <summary>What a figure is held to: a maximum job/floor ratio, or a minimum throughput.</summary>
public sealed record Target(double? MaxRatio = null, double? MinRowsPerSecond = null)
{
    public override string ToString() =>
        MaxRatio is { } r ? $"≤ {r:0.##}× floor" : MinRowsPerSecond is { } s ? $"≥ {s:N0} rows/s" : "—";
}
