using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.Options;

namespace Acms.Tests.Jobs.Leases;

/// <summary>A job that applies numbered batches through <see cref="JobBatches"/>: each inserts one row into <c>lease_probe</c>.</summary>
internal sealed class BatchingJob(JobBatches batches, IOptionsSnapshot<BatchingOptions> options) : IJob
{
    public static readonly JobDefinition Definition = new("batching", "Test batches", "Batching", "BatchingSchedule", "0 0 0 * * *");

    public const string ProbeTable = "CREATE TABLE IF NOT EXISTS lease_probe (run_id uuid, batch int, applied_at timestamptz DEFAULT clock_timestamp())";

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= options.Value.Batches; i++)
        {
            var batch = i;
            await batches.ApplyAsync(context, (c, tx, ct) => c.ExecuteAsync(new CommandDefinition(
                "SELECT pg_sleep(@seconds); INSERT INTO lease_probe (run_id, batch) VALUES (@RunId, @batch)",
                new { context.RunId, batch, seconds = options.Value.BatchMs / 1000.0 }, tx, cancellationToken: ct)),
                r => r, cancellationToken);
            await Task.Delay(options.Value.PauseMs, cancellationToken);
        }
    }
}
