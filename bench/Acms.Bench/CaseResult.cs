namespace Acms.Bench;

public sealed record CaseResult
{
    public required string Job { get; init; }
    public required string Status { get; init; } // ok, absent, failed
    public string? Floor { get; init; }
    public string Target { get; init; } = "";
    public long Rows { get; init; }
    public long? FloorRows { get; init; }
    public double JobSeconds { get; init; }
    public double? FloorSeconds { get; init; }
    public double? Ratio { get; init; }
    public double RowsPerSecond { get; init; }
    public double PeakRssMb { get; init; }
    public double PeakManagedMb { get; init; }
    public bool? EndStateEqual { get; init; }
    public string? JobFingerprint { get; init; }
    public string? FloorFingerprint { get; init; }
    public string? TargetVerdict { get; init; }
    public string? MemoryVerdict { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<double> JobSamples { get; init; } = [];
    public IReadOnlyList<double>? FloorSamples { get; init; }
    public Dictionary<string, object?> JobDetails { get; init; } = [];
}
