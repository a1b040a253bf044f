using Acms.Domain.Database;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Pausing;
using Acms.Domain.Jobs.TopicExtraction;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Health;

/// <summary>
/// Answers "is the service doing its job?" for <c>GET /api/health</c> and <c>acms health</c>: the database answers, every
/// migration of this build is applied, every enabled job succeeded within two scheduled periods, and topic extraction is
/// not further behind than that. The rule for a job: it is unhealthy once two of its scheduled occurrences have passed
/// since its last successful run started (or, never run, since the service was installed — the first migration), each
/// allowed <see cref="JobOptions.LongestScheduledRun"/> to finish with its retries. Reasons name times and settings, never
/// SQL or exception text.
/// </summary>
public sealed class HealthService(
    NpgsqlDataSource dataSource, JobCatalog catalog, TopicExtractionLag lag, IServiceProvider services, TimeProvider time, ILogger<HealthService> logger)
{
    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(10);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseTimeout);

        List<(int Version, DateTime AppliedAt)> applied;
        Dictionary<string, DateTime> lastSuccess;
        Dictionary<string, JobPause> pauses;
        DateTime? oldestPending;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            applied = await MigrationsAsync(connection, timeout.Token);
            lastSuccess = applied.Count == 0 ? [] : (await connection.QueryAsync<(string Job, DateTime StartedAt)>(new CommandDefinition(
                    HealthSql.LastSuccess, new { Names = catalog.Names.ToArray() }, cancellationToken: timeout.Token)))
                .ToDictionary(r => r.Job, r => Utc(r.StartedAt));
            oldestPending = applied.Count == 0 ? null : await lag.OldestPendingAsync(timeout.Token);
            pauses = applied.Count == 0 ? [] : await JobPauses.AllAsync(connection, timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Health check: the database did not answer");
            return new HealthReport(HealthReport.Unhealthy, now,
                new HealthCheck(HealthReport.Unhealthy, "The database did not answer within 10 s (connection or query failed)."), null, [], null);
        }

        var migrations = Migrations(applied);
        var installedAt = applied.Count > 0 ? applied.Min(m => m.AppliedAt) : now;
        var jobs = catalog.All
            .Select(r => Job(r, lastSuccess.TryGetValue(r.Definition.Name, out var at) ? at : null, pauses.GetValueOrDefault(r.Definition.Name), installedAt, now))
            .OrderBy(j => j.Job, StringComparer.Ordinal)
            .ToList();
        var topics = Lag(oldestPending, installedAt, now);
        foreach (var late in jobs.Where(j => j.Status == HealthReport.Unhealthy))
        {
            // The "job did not succeed within two periods" alert (infra/modules/alerts.bicep) matches this message.
            logger.LogWarning("Health: job {Job} is unhealthy: {Reason}", late.Job, late.Reason);
        }

        var healthy = migrations.Status == HealthReport.Healthy && jobs.All(j => j.Status == HealthReport.Healthy) && topics.Status == HealthReport.Healthy;
        return new HealthReport(healthy ? HealthReport.Healthy : HealthReport.Unhealthy, now, new HealthCheck(HealthReport.Healthy), migrations, jobs, topics);
    }

    private static async Task<List<(int Version, DateTime AppliedAt)>> MigrationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('acms_schema_migrations') IS NOT NULL", cancellationToken: cancellationToken));
        return exists
            ? (await connection.QueryAsync<(int Version, DateTime AppliedAt)>(new CommandDefinition(HealthSql.Migrations, cancellationToken: cancellationToken)))
                .Select(m => (m.Version, Utc(m.AppliedAt))).ToList()
            : [];
    }

    private static MigrationsHealth Migrations(List<(int Version, DateTime AppliedAt)> applied)
    {
        var done = applied.Select(m => m.Version).ToHashSet();
        var pending = SchemaMigrator.All.Select(m => m.Version).Where(v => !done.Contains(v)).ToList();
        return pending.Count == 0
            ? new MigrationsHealth(HealthReport.Healthy, SchemaMigrator.All.Count, done.Count, [], null)
            : new MigrationsHealth(HealthReport.Unhealthy, SchemaMigrator.All.Count, done.Count, pending,
                $"{pending.Count} migration(s) of this build are not applied ({string.Join(", ", pending.Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}): run `acms db migrate`.");
    }

    private JobHealth Job(JobRegistration registration, DateTime? lastSuccess, JobPause? pause, DateTime installedAt, DateTime now)
    {
        var options = registration.ReadOptions(services);
        var definition = registration.Definition;
        if (!options.Enabled)
        {
            return new JobHealth(definition.Name, HealthReport.Healthy, "disabled", options.Schedule, definition.ScheduleSetting, false, pause is not null, lastSuccess, null,
                $"{definition.OptionsPath}:Enabled is false: scheduled runs are off.");
        }

        if (pause is not null)
        {
            // Paused on purpose (acms jobs pause / the pause API): listed, not judged late.
            return new JobHealth(definition.Name, HealthReport.Healthy, "paused", options.Schedule, definition.ScheduleSetting, true, true, lastSuccess, null,
                $"Paused by {pause.By} at {pause.At:u}{(pause.Reason is { } why ? $": {why}" : "")}; scheduled runs are skipped until resumed.");
        }

        var since = lastSuccess ?? installedAt;
        var deadline = SecondOccurrenceAfter(options.Schedule, since) is { } second ? second + options.LongestScheduledRun() : (DateTime?)null;
        if (deadline is { } due && now > due)
        {
            var reason = lastSuccess is { } at
                ? $"Last succeeded run started {at:u}; two scheduled runs ({options.Schedule}, {definition.ScheduleSetting}) have passed since without a success (due by {due:u})."
                : $"Never succeeded since the service was installed ({installedAt:u}); two scheduled runs ({options.Schedule}, {definition.ScheduleSetting}) have passed (due by {due:u}).";
            return new JobHealth(definition.Name, HealthReport.Unhealthy, "late", options.Schedule, definition.ScheduleSetting, true, false, lastSuccess, deadline, reason);
        }

        return new JobHealth(definition.Name, HealthReport.Healthy, lastSuccess is null ? "pending" : "ok", options.Schedule, definition.ScheduleSetting, true, false, lastSuccess, deadline,
            lastSuccess is null ? $"No successful run yet; healthy until {deadline:u} (two scheduled runs after installation)." : null);
    }

    private TopicExtractionLagHealth Lag(DateTime? oldestPending, DateTime installedAt, DateTime now)
    {
        if (oldestPending is not { } oldest)
        {
            return new TopicExtractionLagHealth(HealthReport.Healthy, 0, null, null);
        }

        var lagSeconds = Math.Round(Math.Max(0, (now - oldest).TotalSeconds), 1);
        if (!catalog.TryGet(JobDefinitions.TopicExtraction.Name, out var registration) || registration.ReadOptions(services) is not { Enabled: true } options)
        {
            return new TopicExtractionLagHealth(HealthReport.Healthy, lagSeconds, oldest, "topic_extraction is disabled: the lag is not judged.");
        }

        // The same two-periods rule as a job: a Q&A row must be examined by one of the next two scheduled runs after it
        // arrived (or after installation, for rows older than the service).
        var since = oldest > installedAt ? oldest : installedAt;
        if (SecondOccurrenceAfter(options.Schedule, since) is { } second && now > second + options.LongestScheduledRun())
        {
            return new TopicExtractionLagHealth(HealthReport.Unhealthy, lagSeconds, oldest,
                $"The oldest Q&A not yet examined was created {oldest:u}; two topic_extraction runs have passed since without reaching it.");
        }

        return new TopicExtractionLagHealth(HealthReport.Healthy, lagSeconds, oldest, null);
    }

    private static DateTime? SecondOccurrenceAfter(string schedule, DateTime since) =>
        JobSchedule.NextAfter(schedule, since) is { } first ? JobSchedule.NextAfter(schedule, first) : null;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
