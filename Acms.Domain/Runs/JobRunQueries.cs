using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Leases;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Runs;

public sealed record JobRunSummary(
    Guid RunId,
    string Job,
    string Trigger,
    string Status,
    bool DryRun,
    DateTime StartedAt,
    DateTime? CompletedAt,
    long AffectedCount,
    double? ExecutionTimeMs,
    string? ErrorSummary);

public sealed record JobStatus(
    string Id,
    string Name,
    string Schedule,
    string ScheduleSetting,
    DateTime? NextRun,
    bool Enabled,
    bool Running,
    JobRunSummary? LastRun,
    DateTime? LastSuccessAt);

public sealed record JobStatusReport(string Status, DateTime GeneratedAt, IReadOnlyList<JobStatus> Jobs);

/// <summary>Reads the ledger for the status and runs APIs and the CLI.</summary>
public sealed class JobRunQueries(
    NpgsqlDataSource dataSource, JobCatalog catalog, IServiceProvider services, IOptions<JobLeaseOptions> leaseOptions, TimeProvider time)
{
    public const int MaxLimit = 500;

    private const string RunColumns = """
        job_run_id AS RunId, job_name AS Job, trigger AS Trigger, status AS Status, dry_run AS DryRun,
        started_at AS StartedAt, completed_at AS CompletedAt, affected_count AS AffectedCount,
        execution_time_ms AS ExecutionTimeMs, error_summary AS ErrorSummary
        """;

    public async Task<IReadOnlyList<JobRunSummary>> ListRunsAsync(string? job, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobRunSummary>(new CommandDefinition($"""
            SELECT {RunColumns}
            FROM job_runs
            WHERE (@Job::text IS NULL OR job_name = @Job)
            ORDER BY started_at DESC, job_run_id DESC
            LIMIT @Limit
            """, new { Job = job, Limit = Math.Clamp(limit, 1, MaxLimit) }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<JobRunSummary?> FindRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRunSummary>(new CommandDefinition(
            $"SELECT {RunColumns} FROM job_runs WHERE job_run_id = @RunId", new { RunId = runId }, cancellationToken: cancellationToken));
    }

    public async Task<JobStatusReport> StatusAsync(CancellationToken cancellationToken)
    {
        var names = catalog.All.Select(r => r.Definition.Name).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // One index probe per job for its newest run (LATERAL over the (job_name, started_at) index).
        var last = (await connection.QueryAsync<JobRunSummary>(new CommandDefinition($"""
            SELECT r.*
            FROM unnest(@Names::text[]) AS j(name)
            CROSS JOIN LATERAL (
                SELECT {RunColumns} FROM job_runs WHERE job_name = j.name ORDER BY started_at DESC LIMIT 1
            ) r
            """, new { Names = names }, cancellationToken: cancellationToken))).ToDictionary(r => r.Job);

        var lastSuccess = (await connection.QueryAsync<(string Job, DateTime At)>(new CommandDefinition("""
            SELECT j.name, s.completed_at
            FROM unnest(@Names::text[]) AS j(name)
            CROSS JOIN LATERAL (
                SELECT completed_at FROM job_runs
                WHERE job_name = j.name AND status = 'succeeded' AND NOT dry_run
                ORDER BY started_at DESC LIMIT 1
            ) s
            """, new { Names = names }, cancellationToken: cancellationToken))).ToDictionary(r => r.Job, r => r.At);

        var now = time.GetUtcNow().UtcDateTime;
        // Running means a run holds the job's lease with a fresh heartbeat, whatever the ledger still says.
        var running = (await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT job_name FROM job_leases
            WHERE holder_run_id IS NOT NULL AND heartbeat_at >= @Now - @Stale
            """, new { Now = now, Stale = leaseOptions.Value.Timeout }, cancellationToken: cancellationToken))).ToHashSet();

        var jobs = catalog.All
            .Select(r =>
            {
                var options = r.ReadOptions(services);
                var name = r.Definition.Name;
                return new JobStatus(
                    name,
                    r.Definition.Title,
                    options.Schedule,
                    r.Definition.ScheduleSetting,
                    options.Enabled ? JobSchedule.NextAfter(options.Schedule, now) : null,
                    options.Enabled,
                    running.Contains(name),
                    last.GetValueOrDefault(name),
                    lastSuccess.TryGetValue(name, out var at) ? at : null);
            })
            .OrderBy(j => j.NextRun ?? DateTime.MaxValue)
            .ThenBy(j => j.Id, StringComparer.Ordinal)
            .ToList();

        return new JobStatusReport("running", now, jobs);
    }
}
