using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Leases;
using Acms.Domain.Jobs.Pausing;
using Acms.Domain.Scheduling;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Runs;

/// <summary>Reads the ledger for the status and runs APIs and the CLI.</summary>
public sealed class JobRunQueries(
    NpgsqlDataSource dataSource, JobCatalog catalog, IServiceProvider services, IOptions<JobLeaseOptions> leaseOptions, TimeProvider time)
{
    public const int MaxLimit = 500;

    public static readonly string[] Statuses = ["running", "succeeded", "failed", "skipped", "abandoned"];
    public static readonly string[] Triggers = ["timer", "http", "cli"];

    private const string RunColumns = """
        job_run_id AS RunId, job_name AS Job, trigger AS Trigger, status AS Status, dry_run AS DryRun,
        started_at AS StartedAt, completed_at AS CompletedAt, affected_count AS AffectedCount,
        execution_time_ms AS ExecutionTimeMs, error_summary AS Error
        """;

    public Task<IReadOnlyList<JobRunSummary>> ListRunsAsync(string? job, int limit, CancellationToken cancellationToken) =>
        ListRunsAsync(new JobRunFilter(job, Limit: limit), cancellationToken);

    /// <summary>The ledger, newest first.</summary>
    /// <exception cref="AcmsValidationException">An unknown job, status or trigger, or a limit outside 1–500.</exception>
    public async Task<IReadOnlyList<JobRunSummary>> ListRunsAsync(JobRunFilter filter, CancellationToken cancellationToken)
    {
        string? job = null;
        if (!string.IsNullOrWhiteSpace(filter.Job))
        {
            job = catalog.TryGet(filter.Job.Trim(), out var registration)
                ? registration.Definition.Name
                : throw new AcmsValidationException("job", $"'{filter.Job}' is not a job; known jobs: {string.Join(", ", catalog.Names)}.");
        }

        var status = string.IsNullOrWhiteSpace(filter.Status) ? null : RequestValidation.OneOf("status", filter.Status, "", Statuses);
        var trigger = string.IsNullOrWhiteSpace(filter.Trigger) ? null : RequestValidation.OneOf("trigger", filter.Trigger, "", Triggers);
        var limit = RequestValidation.InRange("limit", filter.Limit, 1, MaxLimit);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobRunSummary>(new CommandDefinition($"""
            SELECT {RunColumns}
            FROM job_runs
            WHERE (@Job::text IS NULL OR job_name = @Job)
              AND (@Status::text IS NULL OR status = @Status)
              AND (@Trigger::text IS NULL OR trigger = @Trigger)
            ORDER BY started_at DESC, job_run_id DESC
            LIMIT @Limit
            """, new { Job = job, Status = status, Trigger = trigger, Limit = limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>One run with its progress and result, or null.</summary>
    public async Task<JobRunDetail?> FindRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DetailRow>(new CommandDefinition($"""
            SELECT {RunColumns}, input_count AS InputCount, output_count AS OutputCount, error_count AS ErrorCount, host AS Host,
                   progress_rows AS ProgressRows, progress_batches AS ProgressBatches, last_batch_at AS LastBatchAt, result::text AS Result
            FROM job_runs WHERE job_run_id = @RunId
            """, new { RunId = runId }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        JsonElement? result = row.Result is null ? null : JsonDocument.Parse(row.Result).RootElement.Clone();
        return new JobRunDetail(row.RunId, row.Job, row.Trigger, row.Status, row.DryRun, row.StartedAt, row.CompletedAt, row.AffectedCount,
            row.InputCount, row.OutputCount, row.ErrorCount, row.ExecutionTimeMs, row.Error, row.Host,
            Progress(row.ProgressRows, row.ProgressBatches, row.LastBatchAt, row.StartedAt, row.CompletedAt), result);
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
        // Running means a run holds the job's lease with a fresh heartbeat, whatever the ledger still says; its
        // ledger row carries the live progress.
        var running = (await connection.QueryAsync<RunningRow>(new CommandDefinition("""
            SELECT l.job_name AS Job, r.job_run_id AS RunId, r.started_at AS StartedAt, r.trigger AS Trigger,
                   r.progress_rows AS ProgressRows, r.progress_batches AS ProgressBatches, r.last_batch_at AS LastBatchAt
            FROM job_leases l
            LEFT JOIN job_runs r ON r.job_run_id = l.holder_run_id
            WHERE l.holder_run_id IS NOT NULL AND l.heartbeat_at >= @Now - @Stale
            """, new { Now = now, Stale = leaseOptions.Value.Timeout }, cancellationToken: cancellationToken))).ToDictionary(r => r.Job);

        var pauses = await JobPauses.AllAsync(connection, cancellationToken);

        var jobs = catalog.All
            .Select(r =>
            {
                var options = r.ReadOptions(services);
                var name = r.Definition.Name;
                var run = running.GetValueOrDefault(name);
                var pause = pauses.GetValueOrDefault(name);
                return new JobStatus(
                    name,
                    r.Definition.Title,
                    options.Schedule,
                    r.Definition.ScheduleSetting,
                    ScheduleText.Describe(options.Schedule),
                    options.Enabled ? JobSchedule.NextAfter(options.Schedule, now) : null,
                    options.Enabled,
                    pause is not null,
                    pause,
                    run is not null,
                    run?.RunId is { } runId
                        ? new RunningRun(runId, run.StartedAt!.Value, run.Trigger!, Progress(run.ProgressRows ?? 0, run.ProgressBatches ?? 0, run.LastBatchAt, run.StartedAt.Value, null))
                        : null,
                    last.GetValueOrDefault(name),
                    lastSuccess.TryGetValue(name, out var at) ? at : null);
            })
            .OrderBy(j => j.NextRun ?? DateTime.MaxValue)
            .ThenBy(j => j.Id, StringComparer.Ordinal)
            .ToList();

        return new JobStatusReport(now, jobs);
    }

    private JobRunProgress Progress(long rows, long batches, DateTime? lastBatchAt, DateTime startedAt, DateTime? completedAt) =>
        new(rows, batches, lastBatchAt, Math.Round(((completedAt ?? time.GetUtcNow().UtcDateTime) - startedAt).TotalMilliseconds, 1));

    private sealed record RunningRow(string Job, Guid? RunId, DateTime? StartedAt, string? Trigger, long? ProgressRows, long? ProgressBatches, DateTime? LastBatchAt);

    private sealed class DetailRow
    {
        public Guid RunId { get; init; }
        public string Job { get; init; } = "";
        public string Trigger { get; init; } = "";
        public string Status { get; init; } = "";
        public bool DryRun { get; init; }
        public DateTime StartedAt { get; init; }
        public DateTime? CompletedAt { get; init; }
        public long AffectedCount { get; init; }
        public double? ExecutionTimeMs { get; init; }
        public string? Error { get; init; }
        public long InputCount { get; init; }
        public long OutputCount { get; init; }
        public long ErrorCount { get; init; }
        public string? Host { get; init; }
        public long ProgressRows { get; init; }
        public long ProgressBatches { get; init; }
        public DateTime? LastBatchAt { get; init; }
        public string? Result { get; init; }
    }
}
