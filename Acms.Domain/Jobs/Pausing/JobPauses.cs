using Acms.Domain.Common;
using Dapper;
using Npgsql;

namespace Acms.Domain.Jobs.Pausing;

/// <summary>
/// Pauses and resumes jobs without a redeploy. A paused job's timer and scheduler runs are recorded <c>skipped</c> by the
/// <see cref="JobRunner"/>; manual runs (HTTP, CLI) still run. The state lives in the database, so every process sees it.
/// </summary>
public sealed class JobPauses(NpgsqlDataSource dataSource, JobCatalog catalog, TimeProvider time)
{
    public const int MaxReasonLength = 500;
    public const int MaxCallerLength = 255;

    /// <exception cref="NotFoundException">No job has that name.</exception>
    /// <exception cref="AcmsValidationException">The reason is too long.</exception>
    public async Task<JobPauseState> PauseAsync(string job, string caller, string? reason, CancellationToken cancellationToken)
    {
        var name = Resolve(job);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason?.Length > MaxReasonLength)
        {
            throw new AcmsValidationException("reason", $"must be at most {MaxReasonLength} characters.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Pausing a paused job keeps the first pause (who and since when) and updates only a reason given now.
        var pause = await connection.QuerySingleAsync<JobPause>(new CommandDefinition("""
            INSERT INTO job_pauses (job_name, paused_by, paused_at, reason)
            VALUES (@Job, @By, @At, @Reason)
            ON CONFLICT (job_name) DO UPDATE SET reason = COALESCE(EXCLUDED.reason, job_pauses.reason)
            RETURNING paused_by AS By, paused_at AS At, reason AS Reason
            """, new { Job = name, By = Truncate(caller), At = time.GetUtcNow().UtcDateTime, Reason = reason }, cancellationToken: cancellationToken));
        return new JobPauseState(name, true, pause);
    }

    /// <exception cref="NotFoundException">No job has that name.</exception>
    public async Task<JobPauseState> ResumeAsync(string job, CancellationToken cancellationToken)
    {
        var name = Resolve(job);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM job_pauses WHERE job_name = @Job", new { Job = name }, cancellationToken: cancellationToken));
        return new JobPauseState(name, false, null);
    }

    /// <summary>Every paused job's pause, by job name.</summary>
    public static async Task<Dictionary<string, JobPause>> AllAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string Job, string By, DateTime At, string? Reason)>(new CommandDefinition(
            "SELECT job_name, paused_by, paused_at, reason FROM job_pauses", cancellationToken: cancellationToken)))
        .ToDictionary(p => p.Job, p => new JobPause(p.By, p.At, p.Reason));

    /// <summary>The job's pause, or null; read on the runner's own connection.</summary>
    internal static Task<JobPause?> FindAsync(NpgsqlConnection connection, string job, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<JobPause?>(new CommandDefinition(
            "SELECT paused_by AS By, paused_at AS At, reason AS Reason FROM job_pauses WHERE job_name = @Job",
            new { Job = job }, cancellationToken: cancellationToken));

    private string Resolve(string job) =>
        catalog.TryGet(job, out var registration)
            ? registration.Definition.Name
            : throw new NotFoundException("job", job);

    private static string Truncate(string caller) => caller.Length <= MaxCallerLength ? caller : caller[..MaxCallerLength];
}
