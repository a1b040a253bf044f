using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Runs;

/// <summary>
/// When the host starts, marks <c>abandoned</c> every run left <c>running</c> by a process that died (killed, crashed,
/// lost its machine), so the ledger shows nothing running that is not. A job whose lock is held is really running
/// elsewhere and is left alone. If the database cannot be reached now, the job's next run does the same.
/// </summary>
internal sealed class AbandonedRunRecovery(NpgsqlDataSource dataSource, JobCatalog catalog, TimeProvider time, ILogger<AbandonedRunRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            foreach (var job in catalog.Names)
            {
                var args = new { Class = JobLocks.JobLockClass, Job = job };
                if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@Class, hashtext(@Job))", args, cancellationToken: cancellationToken)))
                {
                    continue;
                }

                try
                {
                    var abandoned = await JobRunLedger.AbandonStaleAsync(connection, job, time.GetUtcNow().UtcDateTime, cancellationToken);
                    if (abandoned > 0)
                    {
                        logger.LogWarning("Job {Job}: marked {Count} run(s) left running by a stopped process abandoned", job, abandoned);
                    }
                }
                finally
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Class, hashtext(@Job))", args);
                }
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not check for abandoned runs at start; each job's next run will");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
