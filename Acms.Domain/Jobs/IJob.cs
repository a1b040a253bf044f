namespace Acms.Domain.Jobs;

/// <summary>One job's logic. The <see cref="JobRunner"/> wraps it with the lock, the ledger, the timeout and logging.</summary>
public interface IJob
{
    Task ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}
