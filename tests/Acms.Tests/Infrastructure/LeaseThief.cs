using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>
/// Takes a job's lease over from the run holding it as soon as that run has committed <c>atLeast</c> batches, as another
/// run would once the holder's heartbeat went stale: a new holder and the next fencing token. The takeover waits for a
/// batch in flight (its lease renewal holds the lease row to its commit), so every batch the holder applies afterwards
/// would be one too many.
/// </summary>
public sealed class LeaseThief : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _job;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<Takeover> _watch;

    private LeaseThief(NpgsqlDataSource dataSource, string job, long atLeast)
    {
        _dataSource = dataSource;
        _job = job;
        _watch = Task.Run(() => WatchAsync(atLeast));
    }

    /// <summary>The run that holds the lease after the takeover.</summary>
    public Guid ThiefRunId { get; } = Guid.NewGuid();

    public static LeaseThief When(NpgsqlDataSource dataSource, string job, long atLeast = 5) => new(dataSource, job, atLeast);

    /// <summary>Runs <paramref name="job"/> through the runner while a thief takes its lease after five batches, then lets the job go.</summary>
    public static async Task<(JobRunResult Lost, Takeover Taken)> RunUntilTakenAsync(IServiceProvider services, NpgsqlDataSource dataSource, string job)
    {
        await using var thief = When(dataSource, job);
        var lost = await services.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, dryRun: false, CancellationToken.None);
        var taken = await thief.TakenAsync();
        await thief.ReleaseAsync();
        return (lost, taken);
    }

    /// <summary>
    /// For jobs with too few batches to watch: a statement trigger hands the lease to another run inside the transaction
    /// of the job's first insert into <paramref name="table"/>, so the takeover lands exactly after that batch.
    /// </summary>
    /// <returns>The run that holds the lease after the takeover.</returns>
    public static async Task<Guid> OnFirstInsertAsync(NpgsqlDataSource dataSource, string job, string table)
    {
        var thief = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync($"""
            CREATE FUNCTION take_over_lease() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE job_leases SET holder_run_id = '{thief}', fencing_token = fencing_token + 1, heartbeat_at = now()
                WHERE job_name = '{job}' AND holder_run_id <> '{thief}';
                RETURN NULL;
            END $$;
            CREATE TRIGGER take_over_lease AFTER INSERT ON {table} FOR EACH STATEMENT EXECUTE FUNCTION take_over_lease();
            """);
        return thief;
    }

    /// <summary>The takeover; fails when the holder's run ended before it could happen.</summary>
    public async Task<Takeover> TakenAsync()
    {
        await _stop.CancelAsync();
        try
        {
            return await _watch;
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The {_job} run ended before its lease was taken over: give it more batches.");
        }
    }

    /// <summary>The thief lets the job go (as a finished run would), so the next run can take it.</summary>
    public async Task ReleaseAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE job_leases SET holder_run_id = NULL, heartbeat_at = NULL WHERE job_name = @Job AND holder_run_id = @ThiefRunId",
            new { Job = _job, ThiefRunId });
    }

    private async Task<Takeover> WatchAsync(long atLeast)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
        while (true)
        {
            var holder = await connection.QueryFirstOrDefaultAsync<Holder>(new CommandDefinition("""
                SELECT l.holder_run_id AS RunId, (SELECT count(*) FROM job_run_batches b WHERE b.job_run_id = l.holder_run_id) AS Batches
                FROM job_leases l WHERE l.job_name = @Job AND l.heartbeat_at IS NOT NULL
                """, new { Job = _job }, cancellationToken: _stop.Token));
            if (holder is { } h && h.Batches >= atLeast)
            {
                // Not cancellable from here on: a takeover half seen would make the test's assertions meaningless.
                await connection.ExecuteAsync("""
                    UPDATE job_leases SET holder_run_id = @ThiefRunId, fencing_token = fencing_token + 1
                    WHERE job_name = @Job AND holder_run_id = @Victim
                    """, new { Job = _job, ThiefRunId, Victim = h.RunId });
                var committed = await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM job_run_batches WHERE job_run_id = @Victim", new { Victim = h.RunId });
                return new Takeover(h.RunId, committed);
            }

            await Task.Delay(2, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
            // The watch stops when the test is done with it.
        }

        _stop.Dispose();
    }

    private sealed record Holder(Guid RunId, long Batches);

    /// <summary>The run that lost the job, and the batches it had committed once the takeover committed.</summary>
    public sealed record Takeover(Guid RunId, long BatchesCommitted);
}
