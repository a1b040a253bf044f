namespace Acms.Domain.Runs;

public sealed record JobStatusReport(DateTime GeneratedAt, IReadOnlyList<JobStatus> Jobs);
