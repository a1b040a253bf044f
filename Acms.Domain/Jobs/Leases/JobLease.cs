using Dapper;
using Npgsql;

namespace Acms.Domain.Jobs.Leases;

/// <summary>
/// A run's hold on its job: the row in <c>job_leases</c> names the run and a fencing token. Every write the run makes
/// is fenced by <see cref="RenewAsync"/> in the same transaction, so a run that lost the lease cannot apply a batch.
/// Each statement is a single round trip on any pooled connection, which is what makes it work through PgBouncer in
/// transaction mode.
/// </summary>
public sealed record JobLease(string Job, Guid RunId, long Token, TimeSpan Stale)
{
    // Takes the lease when nobody holds it or the holder's heartbeat is older than @Stale; a takeover bumps the token.
    // A lease row locked by a batch in flight (its transaction renewed it) is held by definition: SKIP LOCKED answers
    // "held" at once instead of waiting for that batch to commit, which would stall a second trigger behind a long batch.
    // The insert of a first lease and the takeover read the same snapshot, so at most one of them returns a token; the
    // insert is tried only when no row exists, since its conflict check would also wait on a row a batch has locked.
    private const string AcquireSql = """
        WITH inserted AS (
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, acquired_at, heartbeat_at, holder_host)
            SELECT @Job, @RunId, 1, @Now, @Now, @Host
            WHERE NOT EXISTS (SELECT 1 FROM job_leases WHERE job_name = @Job)
            ON CONFLICT (job_name) DO NOTHING
            RETURNING fencing_token),
        free AS (
            SELECT job_name FROM job_leases
            WHERE job_name = @Job AND (heartbeat_at IS NULL OR heartbeat_at < @Now - @Stale)
            FOR UPDATE SKIP LOCKED),
        taken AS (
            UPDATE job_leases l
            SET holder_run_id = @RunId, fencing_token = l.fencing_token + 1, acquired_at = @Now, heartbeat_at = @Now, holder_host = @Host
            FROM free
            WHERE l.job_name = free.job_name AND NOT EXISTS (SELECT 1 FROM inserted)
            RETURNING l.fencing_token)
        SELECT fencing_token FROM inserted
        UNION ALL
        SELECT fencing_token FROM taken
        """;

    // A heartbeat older than the timeout counts as lost even before another run takes over: that run may be starting.
    private const string RenewSql = """
        UPDATE job_leases SET heartbeat_at = GREATEST(heartbeat_at, @Now)
        WHERE job_name = @Job AND holder_run_id = @RunId AND fencing_token = @Token AND heartbeat_at >= @Now - @Stale
        """;

    // Clears the heartbeat and keeps the holder's id: a run that was refused while this one held the job, and asks who
    // held it only after this release, still learns it (a short run can finish between the two statements).
    private const string ReleaseSql = """
        UPDATE job_leases SET heartbeat_at = NULL
        WHERE job_name = @Job AND holder_run_id = @RunId AND fencing_token = @Token
        """;

    // The lease is held by whoever holds it now, or by whoever released it since: either way the run that was refused.
    private const string HolderSql = "SELECT holder_run_id FROM job_leases WHERE job_name = @Job";

    /// <summary>The lease, or null when a run with a fresh heartbeat holds it.</summary>
    public static async Task<JobLease?> TryAcquireAsync(
        NpgsqlConnection connection, string job, Guid runId, string host, DateTime now, TimeSpan stale, CancellationToken ct)
    {
        var token = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            AcquireSql, new { Job = job, RunId = runId, Now = now, Stale = stale, Host = host }, cancellationToken: ct));
        return token is { } t ? new JobLease(job, runId, t, stale) : null;
    }

    /// <summary>
    /// Asked after <see cref="TryAcquireAsync"/> refused: the run that holds the job, or that released it in between.
    /// </summary>
    public static Task<Guid?> FindHolderAsync(NpgsqlConnection connection, string job, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(HolderSql, new { Job = job }, cancellationToken: ct));

    /// <summary>
    /// Refreshes the heartbeat, inside the caller's transaction when it passes one: the row lock it takes is held to the
    /// commit, so no takeover can fall between this check and the batch it fences.
    /// </summary>
    /// <exception cref="LeaseLostException">Another run holds the lease now, or this run's heartbeat went stale.</exception>
    public async Task RenewAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, DateTime now, CancellationToken ct)
    {
        var renewed = await connection.ExecuteAsync(new CommandDefinition(
            RenewSql, new { Job, RunId, Token, Now = now, Stale }, transaction, cancellationToken: ct));
        if (renewed == 0)
        {
            throw new LeaseLostException(Job, RunId);
        }
    }

    /// <summary>Gives the lease up; a no-op when it was already taken over.</summary>
    public Task ReleaseAsync(NpgsqlConnection connection, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(ReleaseSql, new { Job, RunId, Token }, cancellationToken: ct));
}
