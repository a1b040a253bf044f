using Acms.Domain.Database;
using Acms.Domain.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.Leases;

/// <summary>
/// When a host starts, and then every lease timeout, runs left "running" by a process that stopped (their lease's
/// heartbeat is stale or gone) are marked abandoned, so the ledger and the status API never show a dead run as running
/// for long, even when the host restarted before the dead run's heartbeat went stale or the job is paused.
/// </summary>
/// <remarks>
/// One attempt, never fatal: a host must start even when the database is briefly unreachable, and the next run of each
/// job marks the same rows anyway.
/// </remarks>
internal sealed class StaleRunRecovery(
    NpgsqlDataSource dataSource, IOptions<JobLeaseOptions> options, TimeProvider time, ILogger<StaleRunRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverOnceAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.Timeout, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RecoverOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    public async Task RecoverOnceAsync(CancellationToken cancellationToken)
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
}
