namespace Acms.Bench;

public sealed record BenchReport
{
    public required DateTime GeneratedAtUtc { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string Server { get; init; }
    public required BenchOptions Options { get; init; }
    public required DatasetSummary Dataset { get; init; }
    public required IReadOnlyList<CaseResult> Cases { get; init; }
    public required IReadOnlyList<ReadResult> Reads { get; init; }
    public required IReadOnlyList<string> Failures { get; init; }
    public string Commit { get; init; } = "";
}
