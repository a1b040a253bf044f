namespace Acms.Domain.Demo;

/// <summary>What <see cref="ProvenanceSeeder"/> wrote.</summary>
public sealed record SeededProvenance(long SensitiveMemories, long QuotingQuestions, long QueryLogs);
