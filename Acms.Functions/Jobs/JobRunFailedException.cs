using Acms.Domain.Jobs;

namespace Acms.Functions.Jobs;

/// <summary>A run ended <c>failed</c>: fails a timer invocation (so the host's telemetry and alerts see it) and is a 500 over HTTP.</summary>
public sealed class JobRunFailedException(JobRunResult result)
    : Exception($"Job {result.Job} run {result.RunId} failed: {result.Error}")
{
    public JobRunResult Result { get; } = result;
}
