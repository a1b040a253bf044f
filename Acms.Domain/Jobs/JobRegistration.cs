namespace Acms.Domain.Jobs;

/// <summary>A registered job: its definition and a way to read its current, validated options.</summary>
public sealed record JobRegistration(JobDefinition Definition, Func<IServiceProvider, JobOptions> ReadOptions);
