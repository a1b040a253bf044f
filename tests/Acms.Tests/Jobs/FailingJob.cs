using Acms.Domain.Jobs;

namespace Acms.Tests.Jobs;

internal sealed class FailingJob : IJob
{
    public static readonly JobDefinition Definition = new("failing", "Test failure", "Failing", "FailingSchedule", "0 0 0 * * *");

    public Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.AddAffected(7);
        throw new InvalidOperationException("boom at batch 2");
    }
}
