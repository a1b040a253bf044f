using System.Globalization;
using Acms.Domain.Privacy;
using Dapper;
using Npgsql;

namespace Acms.Domain.Insights;

/// <summary>
/// Set-based analysis of a period [start, end) against the previous period of the same length, for a batch of users
/// (one GROUP BY per figure over all of them) or for the whole organisation. Used by insight generation and reports.
/// Organisation results count only rows the privacy model lets into them (<see cref="PrivacySql"/>: topics by the
/// effective level stored with each extraction, counts and recurring questions by the row's effective level), publish
/// ids of those rows only, and never carry a question's text unless every matching row is PUBLIC.
/// </summary>
public static class InsightAnalyzer
{
    private const string UserKey = "t.user_id";
    private const string OrgKey = "'00000000-0000-0000-0000-000000000000'::uuid";

    private static string TopicSql(string key, string filter) => $"""
        SELECT {key} AS ScopeId, topic AS Topic,
               count(*) FILTER (WHERE t.source_created_at >= @Start) AS Count,
               count(*) FILTER (WHERE t.source_created_at < @Start) AS PreviousCount,
               (array_agg(t.source_id ORDER BY t.source_created_at DESC, t.source_id) FILTER (WHERE t.source_created_at >= @Start))[1:5] AS SampleIds
        FROM topic_extractions t CROSS JOIN LATERAL unnest(t.topics) AS topic
        WHERE t.extractor_version = @Version AND t.source_type = 'query_history'
          AND t.source_created_at >= @PreviousStart AND t.source_created_at < @End {filter}
        GROUP BY 1, 2
        """;

    // Alias q: "from" is the FROM clause of the period's rows.
    private static string StatsSql(string key, string from, string level) => $"""
        SELECT ScopeId, count(*) AS Queries, count(*) FILTER (WHERE FromCache) AS CacheHits,
               avg(Cost) AS AverageCostUsd, COALESCE(sum(Cost), 0) AS TotalCostUsd
        FROM (
            SELECT {key} AS ScopeId, q.from_cache AS FromCache, {QueryHistorySql.CostUsd} AS Cost, {level} AS Level
            FROM {from}
        ) s
        WHERE {PrivacySql.QuestionShareable("Level")}
        GROUP BY 1
        """;

    private static string RecurringSql(string key, string from, string level) => $"""
        SELECT ScopeId, Normalized, count(*) AS Times, bool_and({PrivacySql.TextPublic("Level")}) AS AllPublic,
               (array_agg(QueryId ORDER BY CreatedAt, QueryId))[1:10] AS QueryIds
        FROM (
            SELECT {key} AS ScopeId, q.query_id AS QueryId, q.created_at AS CreatedAt, {level} AS Level,
                   btrim(regexp_replace(lower(q.query_text), '[^a-z0-9]+', ' ', 'g')) AS Normalized
            FROM {from}
        ) n
        WHERE length(Normalized) >= @MinQuestionLength AND {PrivacySql.QuestionShareable("Level")}
        GROUP BY ScopeId, Normalized
        HAVING count(*) >= @MinRepeats
        """;

    // A user's own figures count all of the user's rows: the level is only needed by the organisation, so it is a constant here.
    private const string OwnRows = $"'{PrivacyModel.Internal}'";

    private const string Period = "q.created_at >= @Start AND q.created_at < @End";

    private const string UserRows = $"query_history q WHERE {Period} AND q.user_id = ANY(@Users)";

    // The organisation's rows of the period with their effective levels, computed once for all of them (the set form of
    // the privacy model: provenance and quoted memories need a lookup each, and per row they made insight generation six
    // times slower on the bench's week of 24,000 Q&A) into a table that lives for the analysis' transaction, which both
    // the counts and the recurring questions read.
    private static readonly string OrgPeriod = $"""
        CREATE TEMP TABLE org_period ON COMMIT DROP AS
        WITH w AS MATERIALIZED (SELECT q.* FROM query_history q WHERE {Period}),
        levels AS MATERIALIZED ({PrivacySql.LevelsOf("SELECT * FROM w")})
        SELECT w.query_id, w.query_text, w.created_at, w.from_cache, w.metadata, lv.level AS effective_level
        FROM w JOIN levels lv ON lv.query_id = w.query_id
        """;

    private const string OrgRows = "org_period q";

    private static readonly string UserSql =
        TopicSql(UserKey, "AND t.user_id = ANY(@Users)") + ";\n"
        + StatsSql("q.user_id", UserRows, OwnRows) + ";\n"
        + RecurringSql("q.user_id", UserRows, OwnRows);

    private static readonly string OrgSql =
        OrgPeriod + ";\n"
        + TopicSql(OrgKey, $"AND {PrivacySql.QuestionShareable("t.effective_privacy")}") + ";\n"
        + StatsSql(OrgKey, OrgRows, "q.effective_level") + ";\n"
        + RecurringSql(OrgKey, OrgRows, "q.effective_level");

    private sealed class TopicRow
    {
        public Guid ScopeId { get; set; }
        public string Topic { get; set; } = "";
        public long Count { get; set; }
        public long PreviousCount { get; set; }
        public Guid[]? SampleIds { get; set; }
    }

    private sealed record StatsRow(Guid ScopeId, long Queries, long CacheHits, double? AverageCostUsd, double TotalCostUsd);

    private sealed class RecurringRow
    {
        public Guid ScopeId { get; set; }
        public string Normalized { get; set; } = "";
        public long Times { get; set; }
        public bool AllPublic { get; set; }
        public Guid[] QueryIds { get; set; } = [];
    }

    public static async Task<Dictionary<Guid, ScopeAnalysis>> AnalyzeUsersAsync(
        NpgsqlConnection connection, IReadOnlyCollection<Guid> users, DateTime start, DateTime end, string version, InsightThresholds thresholds,
        InsightKeyer keyer, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var rows = await ReadAsync(connection, UserSql, users.ToArray(), start, end, version, thresholds, transaction, cancellationToken);
        return users.ToDictionary(u => u, u => Build(u, isOrg: false, rows, thresholds, keyer));
    }

    public static async Task<ScopeAnalysis> AnalyzeOrgAsync(
        NpgsqlConnection connection, DateTime start, DateTime end, string version, InsightThresholds thresholds, InsightKeyer keyer, CancellationToken cancellationToken)
    {
        // One snapshot for every figure, and the transaction that org_period lives in (so it holds through a pooler in
        // transaction mode); the analysis only reads, so it rolls back.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var rows = await ReadAsync(connection, OrgSql, [], start, end, version, thresholds, transaction, cancellationToken);
        return Build(Guid.Empty, isOrg: true, rows, thresholds, keyer);
    }

    /// <summary>NEW only from <paramref name="minNewCount"/> questions: a topic seen in one question is never reported new.</summary>
    public static string Classify(long count, long previous, double stableBandPercent, out double? percent, long minNewCount = 2)
    {
        if (previous == 0)
        {
            percent = null;
            return count >= minNewCount ? Trends.New : Trends.Stable;
        }

        percent = Math.Round((count - previous) * 100.0 / previous, 1);
        return percent > stableBandPercent ? Trends.Up : percent < -stableBandPercent ? Trends.Down : Trends.Stable;
    }

    private static async Task<(ILookup<Guid, TopicRow> Topics, Dictionary<Guid, StatsRow> Stats, ILookup<Guid, RecurringRow> Recurring)> ReadAsync(
        NpgsqlConnection connection, string sql, Guid[] users, DateTime start, DateTime end, string version, InsightThresholds t,
        NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var parameters = new
        {
            Users = users,
            Start = start,
            End = end,
            PreviousStart = start - (end - start),
            Version = version,
            MinRepeats = t.RecurringMinRepeats,
            MinQuestionLength = 8,
        };
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));
        var topics = (await grid.ReadAsync<TopicRow>()).ToLookup(r => r.ScopeId);
        var stats = (await grid.ReadAsync<StatsRow>()).ToDictionary(r => r.ScopeId);
        var recurring = (await grid.ReadAsync<RecurringRow>()).ToLookup(r => r.ScopeId);
        return (topics, stats, recurring);
    }

    private static ScopeAnalysis Build(
        Guid scopeId, bool isOrg,
        (ILookup<Guid, TopicRow> Topics, Dictionary<Guid, StatsRow> Stats, ILookup<Guid, RecurringRow> Recurring) rows,
        InsightThresholds t, InsightKeyer keyer)
    {
        var topicRows = rows.Topics[scopeId].ToList();
        var stats = rows.Stats.TryGetValue(scopeId, out var s)
            ? new PeriodStats(s.Queries, s.CacheHits, s.AverageCostUsd, s.TotalCostUsd, topicRows.Count(r => r.Count > 0))
            : new PeriodStats(0, 0, null, 0, topicRows.Count(r => r.Count > 0));

        var trends = topicRows
            .Select(r => (Row: r, Trend: new TopicTrend(r.Topic, r.Count, r.PreviousCount, Classify(r.Count, r.PreviousCount, t.StableBandPercent, out var pct, t.MinTopicQueries), pct)))
            .ToList();
        var current = trends.Where(x => x.Row.Count > 0)
            .OrderByDescending(x => x.Row.Count).ThenBy(x => x.Row.Topic, StringComparer.Ordinal).ToList();

        var insights = new List<Insight>();
        foreach (var (row, trend) in current.Where(x => x.Trend.Trend == Trends.Up && x.Trend.TrendPercent > t.EmergingPercent && x.Row.Count >= t.MinTopicQueries).Take(5))
        {
            insights.Add(new Insight(InsightTypes.EmergingTheme, row.Topic,
                $"Emerging theme: {row.Topic}",
                string.Create(CultureInfo.InvariantCulture, $"Questions about {row.Topic} rose {trend.TrendPercent:0.#}% ({row.PreviousCount} → {row.Count})."),
                Confidence(row.Count),
                new InsightEvidence(row.SampleIds ?? [], row.Count, row.PreviousCount, trend.TrendPercent, Threshold: t.EmergingPercent, Topic: row.Topic)));
        }

        foreach (var (row, _) in current.Where(x => x.Trend.Trend == Trends.New && x.Row.Count >= t.MinTopicQueries).Take(5))
        {
            insights.Add(new Insight(InsightTypes.TopicShift, row.Topic,
                $"New topic: {row.Topic}",
                $"{row.Topic} appeared this period with {row.Count} questions and none in the previous period.",
                Confidence(row.Count),
                new InsightEvidence(row.SampleIds ?? [], row.Count, 0, Topic: row.Topic)));
        }

        if (stats.AverageCostUsd is { } average && average > t.CostPerQueryUsd)
        {
            insights.Add(new Insight(InsightTypes.CostTrend, "cost",
                "High cost per query",
                string.Create(CultureInfo.InvariantCulture, $"Average estimated cost is ${average:0.000} per query (threshold ${t.CostPerQueryUsd:0.000}) over {stats.Queries} queries."),
                Confidence(stats.Queries),
                new InsightEvidence([], stats.Queries, Value: Math.Round(average, 6), Threshold: t.CostPerQueryUsd)));
        }

        if (stats.Queries > t.CacheMinQueries && stats.CacheHitRate < t.CacheHitRate)
        {
            insights.Add(new Insight(InsightTypes.ProductivityTrend, "cache_hit_rate",
                "Low cache hit rate",
                string.Create(CultureInfo.InvariantCulture, $"Only {stats.CacheHitRate:P0} of {stats.Queries} queries were answered from cache (threshold {t.CacheHitRate:P0})."),
                Confidence(stats.Queries),
                new InsightEvidence([], stats.Queries, Value: Math.Round(stats.CacheHitRate, 4), Threshold: t.CacheHitRate)));
        }

        foreach (var recurring in rows.Recurring[scopeId].OrderByDescending(r => r.Times).ThenBy(r => r.Normalized, StringComparer.Ordinal).Take(5))
        {
            var showText = !isOrg || recurring.AllPublic;
            var question = showText ? $"\"{Truncate(recurring.Normalized, 120)}\"" : "A question (text withheld: not public)";
            insights.Add(new Insight(InsightTypes.KnowledgeGap, keyer.Key(recurring.Normalized),
                "Recurring question: knowledge gap",
                $"{question} was asked {recurring.Times} times this period; a knowledge-base entry would answer it once.",
                Confidence(recurring.Times),
                new InsightEvidence(recurring.QueryIds, recurring.Times, Threshold: t.RecurringMinRepeats)));
        }

        var top = current.Take(t.TopTopics).Select(x => x.Trend).ToList();
        return new ScopeAnalysis(isOrg ? null : scopeId, stats, top, insights);
    }

    private static double Confidence(long evidence) => Math.Round(Math.Min(0.95, 0.5 + (evidence / 40.0)), 2);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
