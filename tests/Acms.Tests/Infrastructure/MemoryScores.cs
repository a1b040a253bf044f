namespace Acms.Tests.Infrastructure;

public sealed record MemoryScores(double Crs, double Outcome, double Frequency, DateTime? LastDecayedAt);
