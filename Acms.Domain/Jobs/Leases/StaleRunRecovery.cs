using Acms.Domain.Database;
using Acms.Domain.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.Leases;

/// <summary>
/// When a host starts, runs left "running" by a process that stopped (their lease's heartbeat is stale or gone) are
/// marked abandoned, so the ledger and the status API never show a dead run as running.
/// </summary>
/// <remarks>
/// One attempt, never fatal: a host must start even when the database is briefly unreachable, and the next run of each
/// job marks the same rows anyway.
/// </remarks>
internal sealed class StaleRunRecovery(
    NpgsqlDataSource dataSource, IOptions<JobLeaseOptions> options, TimeProvider time, ILogger<StaleRunRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var abandoned = await JobRunLedger.AbandonUnleasedAsync(connection, time.GetUtcNow().UtcDateTime, options.Value.Timeout, cancellationToken);
            if (abandoned > 0)
            {
                logger.LogWarning("Marked {Count} run(s) abandoned: their process stopped renewing its lease", abandoned);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not check for abandoned runs at start ({Fault}); the next run of each job will", Transient.Describe(ex));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
