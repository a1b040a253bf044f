using System.Diagnostics;
using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Reports;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Insights;

/// <summary>
/// The insights summary API. Reads only precomputed data: the daily rollups kept by topic extraction
/// (<c>query_daily_stats</c>; the organisation's topics from <c>topic_daily_stats</c>; primary-key range scans of at
/// most 2 × period_days days for one scope), a user's topics from that user's own extractions (an index range scan of
/// <c>ix_topic_extractions_user_period</c> over the same days), and the stored insights of the requested period, so
/// its cost does not grow with query_history. Insights of an older period are never shown as current: when none cover
/// the period, the summary says so.
/// </summary>
public sealed class InsightsSummaryService(
    NpgsqlDataSource dataSource,
    IOptionsMonitor<IntelligenceSettings> settings,
    TimeProvider time)
{
    public const string InsightsCurrent = "current";
    public const string InsightsNoneForPeriod = "none_for_period";

    private const string StatsSql = """
        SELECT COALESCE(sum(query_count) FILTER (WHERE day >= @Start), 0)::bigint AS Queries,
               COALESCE(sum(query_count) FILTER (WHERE day < @Start), 0)::bigint AS PreviousQueries,
               COALESCE(sum(cache_hits) FILTER (WHERE day >= @Start), 0)::bigint AS CacheHits,
               COALESCE(sum(cost_sum_usd) FILTER (WHERE day >= @Start), 0)::float8 AS CostSum,
               COALESCE(sum(cost_count) FILTER (WHERE day >= @Start), 0)::bigint AS CostCount
        FROM query_daily_stats
        WHERE extractor_version = @Version AND user_id = @ScopeId AND day >= @PreviousStart AND day < @End;
        """;

    // The organisation's topics: its daily rollup, which counts only rows the privacy model lets into org outputs.
    private const string OrgTopicsSql = """
        SELECT topic AS Topic, COALESCE(sum(query_count) FILTER (WHERE day >= @Start), 0)::bigint AS Count,
               COALESCE(sum(query_count) FILTER (WHERE day < @Start), 0)::bigint AS PreviousCount
        FROM topic_daily_stats
        WHERE extractor_version = @Version AND user_id = @ScopeId AND day >= @PreviousStart AND day < @End
        GROUP BY topic
        HAVING sum(query_count) FILTER (WHERE day >= @Start) > 0;
        """;

    // A user's topics: every extraction of the user (their own rows, whatever their privacy), counted by UTC day as the
    // rollup counts them. Topic extraction keeps no per-user copy of these counts: writing one cost a new
    // topic_daily_stats row for nearly every topic of every Q&A (see faults/results.md § 6).
    private const string UserTopicsSql = """
        SELECT topic AS Topic, count(*) FILTER (WHERE t.source_created_at >= @StartAt)::bigint AS Count,
               count(*) FILTER (WHERE t.source_created_at < @StartAt)::bigint AS PreviousCount
        FROM topic_extractions t CROSS JOIN LATERAL unnest(t.topics) AS topic
        WHERE t.user_id = @ScopeId AND t.extractor_version = @Version
          AND t.source_created_at >= @PreviousStartAt AND t.source_created_at < @EndAt
        GROUP BY topic
        HAVING count(*) FILTER (WHERE t.source_created_at >= @StartAt) > 0;
        """;

    private const string InsightsSql = """
        SELECT insight_type AS Type, insight_key AS Key, title AS Title, description AS Description, confidence AS Confidence,
               evidence::text AS Evidence, period_start AS PeriodStart, period_end AS PeriodEnd, created_at AS CreatedAt
        FROM user_insights
        WHERE scope = @Scope AND COALESCE(user_id, '00000000-0000-0000-0000-000000000000'::uuid) = @ScopeId
          AND period_end = (SELECT max(period_end) FROM user_insights
                            WHERE scope = @Scope AND COALESCE(user_id, '00000000-0000-0000-0000-000000000000'::uuid) = @ScopeId
                              AND period_end >= @CurrentFrom AND period_end <= @CurrentTo
                              AND period_end - period_start = make_interval(days => @Days))
          AND period_end - period_start = make_interval(days => @Days)
        ORDER BY confidence DESC, insight_type, insight_key;
        """;

    private sealed record StatsRow(long Queries, long PreviousQueries, long CacheHits, double CostSum, long CostCount);

    private sealed record TopicRow(string Topic, long Count, long PreviousCount);

    private sealed class InsightRow
    {
        public string Type { get; set; } = "";
        public string Key { get; set; } = "";
        public string Title { get; set; } = "";
        public string Description { get; set; } = "";
        public double Confidence { get; set; }
        public string Evidence { get; set; } = "{}";
        public DateTime PeriodStart { get; set; }
        public DateTime PeriodEnd { get; set; }
        public DateTime CreatedAt { get; set; }
    }

    /// <param name="periodDays">1–365 (else <see cref="AcmsValidationException"/>).</param>
    /// <param name="userId">A user's summary, or null for the organisation's. An unknown user → <see cref="NotFoundException"/>.</param>
    public async Task<InsightsSummary> GetAsync(int periodDays, Guid? userId, CancellationToken cancellationToken)
    {
        RequestValidation.InRange("period_days", periodDays, 1, 365);
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow().UtcDateTime;
        var end = DateTime.SpecifyKind(now.Date.AddDays(1), DateTimeKind.Utc);
        var start = end.AddDays(-periodDays);
        var intelligence = settings.CurrentValue;
        var thresholds = intelligence.Thresholds;
        var version = intelligence.ExtractorVersion;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (userId is { } id && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = @id)", new { id }, cancellationToken: cancellationToken)))
        {
            throw new NotFoundException("user", id.ToString());
        }

        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(StatsSql + (userId is null ? OrgTopicsSql : UserTopicsSql) + InsightsSql, new
        {
            Version = version,
            ScopeId = userId ?? QueryHistorySql.Org,
            Scope = userId is null ? "org" : "user",
            Start = DateOnly.FromDateTime(start),
            End = DateOnly.FromDateTime(end),
            PreviousStart = DateOnly.FromDateTime(start.AddDays(-periodDays)),
            // The same bounds as instants (UTC midnights), for the extractions' timestamps.
            StartAt = start,
            EndAt = end,
            PreviousStartAt = start.AddDays(-periodDays),
            Days = periodDays,
            // The daily insight job writes the period ending at its run's day; before it runs today, yesterday's is the latest.
            CurrentFrom = end.AddDays(-2),
            CurrentTo = end,
        }, cancellationToken: cancellationToken));
        var stats = await grid.ReadSingleAsync<StatsRow>();
        var topicRows = (await grid.ReadAsync<TopicRow>()).AsList();
        var insightRows = (await grid.ReadAsync<InsightRow>()).AsList();

        var topics = topicRows
            .OrderByDescending(t => t.Count).ThenBy(t => t.Topic, StringComparer.Ordinal)
            .Take(thresholds.TopTopics)
            .Select(t => new TopicTrend(t.Topic, t.Count, t.PreviousCount, InsightAnalyzer.Classify(t.Count, t.PreviousCount, thresholds.StableBandPercent, out var pct, thresholds.MinTopicQueries), pct))
            .ToList();
        var insights = insightRows
            .Select(r => new Insight(r.Type, r.Key, r.Title, r.Description, r.Confidence,
                JsonSerializer.Deserialize<InsightEvidence>(r.Evidence, Json.Options) ?? new InsightEvidence([], 0)))
            .ToList();
        double? averageCost = stats.CostCount == 0 ? null : Math.Round(stats.CostSum / stats.CostCount, 6);
        var periodStats = new PeriodStats(stats.Queries, stats.CacheHits, averageCost, stats.CostSum, topicRows.Count);
        var recommendations = RecommendationRules.For(new ScopeAnalysis(userId, periodStats, topics, insights), intelligence.KnowledgeBaseMinQuestions, intelligence.ReportCostThresholdUsd);

        var keyStats = new KeyStats(stats.Queries, stats.PreviousQueries, topicRows.Count, Math.Round(periodStats.CacheHitRate, 4), averageCost, Math.Round(stats.CostSum, 4));
        var first = insightRows.FirstOrDefault();
        var meta = new InsightsSummaryMeta(userId is null ? "org" : "user", userId, now, "precomputed", version,
            first?.PeriodStart, first?.PeriodEnd, Math.Round(watch.Elapsed.TotalMilliseconds, 2),
            first is null ? InsightsNoneForPeriod : InsightsCurrent,
            first is null ? null : insightRows.Max(r => r.CreatedAt),
            first is null ? $"No insights were generated for the last {periodDays} days; older periods are not shown." : null);
        return new InsightsSummary(new InsightsSummaryData(new SummaryPeriod(start, end, periodDays), keyStats, topics, insights, recommendations), meta);
    }
}
