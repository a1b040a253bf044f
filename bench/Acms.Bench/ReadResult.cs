namespace Acms.Bench;

public sealed record ReadResult(string Name, string Api, int Calls, double P50Ms, double P95Ms, double MaxMs, string Target, string? Verdict);
