namespace Acms.Domain.Jobs.Leases;

/// <summary>The run no longer holds its job's lease (another run took it over after its heartbeat went stale).</summary>
public sealed class LeaseLostException(string job, Guid runId)
    : Exception($"Run {runId} of job {job} lost its lease; it stopped before applying another batch.")
{
    public string Job { get; } = job;
    public Guid RunId { get; } = runId;
}
