using Acms.Domain.Jobs;

namespace Acms.Functions.Jobs;

/// <summary>A manual run found the job already running and was recorded <c>skipped</c>: a 409 naming the running run.</summary>
public sealed class JobAlreadyRunningException(JobRunResult result)
    : Exception($"Job {result.Job} is already running (run {result.RunningRunId})")
{
    public JobRunResult Result { get; } = result;
}
