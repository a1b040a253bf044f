using System.Diagnostics;
using System.Globalization;
using Acms.Domain.Common;
using Acms.Domain.Insights;
using Acms.Domain.Privacy;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Reports;

/// <summary>
/// Generates, stores (one per type, scope, user and period: a re-run replaces), lists and renders intelligence reports.
/// Throws <see cref="AcmsValidationException"/> (→ 400) for a bad request and <see cref="NotFoundException"/> (→ 404)
/// for an unknown user or report. An organisation report counts only what the privacy model lets into organisation
/// outputs; a personal report's memory figures are that user's own, or left out when they cannot be counted honestly.
/// </summary>
public sealed class ReportService(
    NpgsqlDataSource dataSource,
    IOptionsMonitor<IntelligenceSettings> settings,
    DeploymentSecrets secrets,
    TimeProvider time)
{
    public const int MaxListLimit = 100;

    /// <summary>Validates the request, generates and stores the report, and renders it in the requested format.</summary>
    public async Task<RenderedReport> GenerateAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var (type, scope, userId, start, end, format) = Validate(request);
        var report = await GenerateForAsync(type, scope, userId, start, end, "api", cancellationToken);
        var (content, contentType) = ReportRenderer.Render(report, format);
        return new RenderedReport(report, content, contentType);
    }

    public Task<Envelope<ReportList>> ListAsync(string? scope, Guid? userId, int limit, CancellationToken cancellationToken) =>
        ListAsync(scope, userId, limit, visibleTo: null, cancellationToken);

    /// <param name="visibleTo">When set, only that user's reports and the organisation's are listed (a person's view).</param>
    public async Task<Envelope<ReportList>> ListAsync(string? scope, Guid? userId, int limit, Guid? visibleTo, CancellationToken cancellationToken)
    {
        var s = string.IsNullOrWhiteSpace(scope) ? null : RequestValidation.OneOf("scope", scope, "user", "user", "org");
        RequestValidation.InRange("limit", limit, 1, MaxListLimit);
        if (s == "org" && userId is not null)
        {
            throw new AcmsValidationException("user_id", "must be empty when scope is org.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ReportListItem>(new CommandDefinition(ReportSql.List, new { Scope = s, UserId = userId, Limit = limit, VisibleTo = visibleTo }, cancellationToken: cancellationToken))).AsList();
        return new Envelope<ReportList>(new ReportList(rows, rows.Count));
    }

    /// <exception cref="NotFoundException">No report has that id.</exception>
    public async Task<IntelligenceReport> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            ReportSql.ById, new { id }, cancellationToken: cancellationToken));
        return row is null ? throw new NotFoundException("report", id.ToString()) : row.ToReport();
    }

    /// <summary>Renders a stored report: json, markdown or html (anything else → <see cref="AcmsValidationException"/>).</summary>
    public static (string Content, string ContentType) Render(IntelligenceReport report, string format) => ReportRenderer.Render(report, format);

    internal (string Type, string Scope, Guid? UserId, DateTime Start, DateTime End, string Format) Validate(ReportRequest request)
    {
        var type = RequestValidation.OneOf("report_type", request.ReportType, "weekly", "weekly", "monthly", "custom");
        var scope = RequestValidation.OneOf("scope", request.Scope, "user", "user", "org");
        var format = RequestValidation.OneOf("format", request.Format, ReportFormats.Json, ReportFormats.Json, ReportFormats.Markdown, ReportFormats.Html);
        if (scope == "user" && request.UserId is null)
        {
            throw new AcmsValidationException("user_id", "is required when scope is user.");
        }

        if (scope == "org" && request.UserId is not null)
        {
            throw new AcmsValidationException("user_id", "must be empty when scope is org.");
        }

        var start = RequestValidation.Date("period_start", request.PeriodStart);
        var end = RequestValidation.Date("period_end", request.PeriodEnd);
        var period = ReportPeriods.Resolve(type, start, end, time.GetUtcNow().UtcDateTime);
        return (type, scope, request.UserId, period.Start, period.End, format);
    }

    /// <summary>Generates and stores the report of a validated period, on a connection of its own. Used by the API.</summary>
    internal async Task<IntelligenceReport> GenerateForAsync(
        string type, string scope, Guid? userId, DateTime start, DateTime end, string generatedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var draft = await PrepareAsync(connection, type, scope, userId, start, end, generatedBy, cancellationToken);
        return await StoreAsync(connection, null, draft, cancellationToken);
    }

    /// <summary>
    /// Computes the report of a validated period (reads only; nothing is stored). The weekly job prepares a report on a
    /// read connection and then stores it with <see cref="StoreAsync"/> inside its batch, so the batch's transaction holds
    /// only the write.
    /// </summary>
    /// <exception cref="NotFoundException">A personal report of an unknown user.</exception>
    internal async Task<IntelligenceReport> PrepareAsync(
        NpgsqlConnection connection, string type, string scope, Guid? userId, DateTime start, DateTime end, string generatedBy,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var intelligence = settings.CurrentValue;
        var thresholds = intelligence.Thresholds;
        var version = intelligence.ExtractorVersion;
        var keyer = await secrets.InsightKeyerAsync(connection, cancellationToken);

        ScopeAnalysis analysis;
        if (scope == "user")
        {
            var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = @userId)", new { userId }, cancellationToken: cancellationToken));
            if (!exists)
            {
                throw new NotFoundException("user", userId.ToString()!);
            }

            analysis = (await InsightAnalyzer.AnalyzeUsersAsync(connection, [userId!.Value], start, end, version, thresholds, keyer, cancellationToken))[userId.Value];
        }
        else
        {
            analysis = await InsightAnalyzer.AnalyzeOrgAsync(connection, start, end, version, thresholds, keyer, cancellationToken);
        }

        var memories = await MemoryFiguresAsync(connection, scope, userId, start, end, intelligence.ArchiveRetentionDays, cancellationToken);
        var metrics = new ReportMetrics(
            analysis.Stats.Queries,
            analysis.Stats.TopicsCount,
            Math.Round(analysis.Stats.CacheHitRate, 4),
            analysis.Stats.AverageCostUsd is { } avg ? Math.Round(avg, 6) : null,
            Math.Round(analysis.Stats.TotalCostUsd, 4),
            memories.Decayed,
            memories.Merged,
            memories.Cleaned);
        var recommendations = RecommendationRules.For(analysis, intelligence.KnowledgeBaseMinQuestions, intelligence.ReportCostThresholdUsd);

        var label = type switch { "weekly" => "Weekly", "monthly" => "Monthly", _ => "Custom" };
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{label} intelligence report ({(scope == "org" ? "organisation" : "personal")}): {start:yyyy-MM-dd} to {end.AddDays(-1):yyyy-MM-dd}");
        var summary = Headline(analysis);
        var now = time.GetUtcNow().UtcDateTime;
        var draft = new IntelligenceReport(Guid.CreateVersion7(now), type, scope, scope == "org" ? null : userId, start, end, title, summary, "",
            analysis.Topics, analysis.Insights, recommendations, metrics, generatedBy, 0, now);
        return draft with { ExecutiveSummaryMd = ReportRenderer.Markdown(draft), GenerationTimeMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1) };
    }

    /// <summary>
    /// Stores a prepared report (a re-run of the same type, scope, user and period replaces it), on the caller's connection
    /// and, when given, inside its transaction. Returns the report with its stored id and creation time.
    /// </summary>
    internal static async Task<IntelligenceReport> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IntelligenceReport draft, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleAsync<(Guid Id, DateTime CreatedAt)>(new CommandDefinition(ReportSql.Upsert, new
        {
            draft.Id,
            draft.UserId,
            draft.ReportType,
            draft.Scope,
            draft.PeriodStart,
            draft.PeriodEnd,
            draft.Title,
            draft.Summary,
            draft.ExecutiveSummaryMd,
            TopTopics = Json.Serialize(draft.TopTopics),
            Insights = Json.Serialize(draft.Insights),
            Recommendations = Json.Serialize(draft.Recommendations),
            Metrics = Json.Serialize(draft.Metrics),
            draft.GeneratedBy,
            draft.GenerationTimeMs,
            Now = draft.CreatedAt,
        }, transaction, cancellationToken: cancellationToken));
        return draft with { Id = stored.Id, CreatedAt = stored.CreatedAt };
    }

    /// <summary>
    /// Memories decayed, merged and cleaned in the period. The organisation's: the affected counts of the jobs' runs in the
    /// ledger. A user's: merged and cleaned from the archive (each archived row carries its user and reason), or left out
    /// (null) when the period reaches back past the archive's retention, whose purge would make the count short; decayed
    /// is left out, since decay keeps no per-user record.
    /// </summary>
    private async Task<(long? Decayed, long? Merged, long? Cleaned)> MemoryFiguresAsync(
        NpgsqlConnection connection, string scope, Guid? userId, DateTime start, DateTime end, int retentionDays, CancellationToken cancellationToken)
    {
        if (scope == "org")
        {
            var jobs = (await connection.QueryAsync<(string Job, long Affected)>(new CommandDefinition(
                ReportSql.JobMetrics, new { Start = start, End = end }, cancellationToken: cancellationToken))).ToDictionary(r => r.Job, r => r.Affected);
            return (jobs.GetValueOrDefault("decay"), jobs.GetValueOrDefault("dedup"), jobs.GetValueOrDefault("cleanup"));
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (retentionDays > 0 && start < now.AddDays(-retentionDays))
        {
            return (null, null, null);
        }

        var (merged, cleaned) = await connection.QuerySingleAsync<(long Merged, long Cleaned)>(new CommandDefinition(
            ReportSql.UserArchiveMetrics, new { UserId = userId, Start = start, End = end }, cancellationToken: cancellationToken));
        return (null, merged, cleaned);
    }

    private static string Headline(ScopeAnalysis analysis)
    {
        if (analysis.Stats.Queries == 0)
        {
            return "No questions were asked in this period.";
        }

        var top = analysis.Topics.Count > 0 ? analysis.Topics[0] : null;
        var topText = top is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; top topic {top.Topic} ({top.Count}, {top.Trend}{(top.TrendPercent is { } p ? string.Create(CultureInfo.InvariantCulture, $" {p:+0.#;-0.#;0}%") : "")})");
        return string.Create(CultureInfo.InvariantCulture,
            $"{analysis.Stats.Queries} questions on {analysis.Stats.TopicsCount} topics{topText}; {analysis.Insights.Count} insights.");
    }
}
