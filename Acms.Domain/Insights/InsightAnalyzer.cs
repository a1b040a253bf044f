using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Acms.Domain.Insights;

/// <summary>
/// Set-based analysis of a period [start, end) against the previous period of the same length, for a batch of users
/// (one GROUP BY per figure over all of them) or for the whole organisation. Used by insight generation and reports.
/// Organisation results never carry a question's text unless every row of it is PUBLIC.
/// </summary>
public static class InsightAnalyzer
{
    private const string UserKey = "t.user_id";
    private const string OrgKey = "'00000000-0000-0000-0000-000000000000'::uuid";

    private static string TopicSql(string key, string userFilter) => $"""
        SELECT {key} AS ScopeId, topic AS Topic,
               count(*) FILTER (WHERE t.source_created_at >= @Start) AS Count,
               count(*) FILTER (WHERE t.source_created_at < @Start) AS PreviousCount,
               (array_agg(t.source_id ORDER BY t.source_created_at DESC, t.source_id) FILTER (WHERE t.source_created_at >= @Start))[1:5] AS SampleIds
        FROM topic_extractions t CROSS JOIN LATERAL unnest(t.topics) AS topic
        WHERE t.extractor_version = @Version AND t.source_type = 'query_history'
          AND t.source_created_at >= @PreviousStart AND t.source_created_at < @End {userFilter}
        GROUP BY 1, 2
        """;

    private static string StatsSql(string key, string userFilter) => $"""
        SELECT {key.Replace("t.", "q.", StringComparison.Ordinal)} AS ScopeId, count(*) AS Queries, count(*) FILTER (WHERE q.from_cache) AS CacheHits,
               avg(c.cost) AS AverageCostUsd, COALESCE(sum(c.cost), 0) AS TotalCostUsd
        FROM query_history q CROSS JOIN LATERAL (SELECT {QueryHistorySql.CostUsd} AS cost) c
        WHERE q.created_at >= @Start AND q.created_at < @End {userFilter.Replace("t.", "q.", StringComparison.Ordinal)}
        GROUP BY 1
        """;

    private static string RecurringSql(string key, string userFilter) => $"""
        SELECT ScopeId, Normalized, count(*) AS Times, bool_and(Privacy = 'PUBLIC') AS AllPublic,
               (array_agg(QueryId ORDER BY CreatedAt, QueryId))[1:10] AS QueryIds
        FROM (
            SELECT {key.Replace("t.", "q.", StringComparison.Ordinal)} AS ScopeId, q.query_id AS QueryId, q.created_at AS CreatedAt, {QueryHistorySql.Privacy} AS Privacy,
                   btrim(regexp_replace(lower(q.query_text), '[^a-z0-9]+', ' ', 'g')) AS Normalized
            FROM query_history q
            WHERE q.created_at >= @Start AND q.created_at < @End {userFilter.Replace("t.", "q.", StringComparison.Ordinal)}
        ) n
        WHERE length(Normalized) >= @MinQuestionLength
        GROUP BY ScopeId, Normalized
        HAVING count(*) >= @MinRepeats
        """;

    private static readonly string UserSql =
        TopicSql(UserKey, "AND t.user_id = ANY(@Users)") + ";\n" + StatsSql(UserKey, "AND t.user_id = ANY(@Users)") + ";\n" + RecurringSql(UserKey, "AND t.user_id = ANY(@Users)");

    // The organisation's topics count PUBLIC and INTERNAL rows only; its other figures are counts.
    private static readonly string OrgSql =
        TopicSql(OrgKey, "AND t.privacy_level IN ('PUBLIC', 'INTERNAL')") + ";\n" + StatsSql(OrgKey, "") + ";\n" + RecurringSql(OrgKey, "");

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
        CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var rows = await ReadAsync(connection, UserSql, users.ToArray(), start, end, version, thresholds, transaction, cancellationToken);
        return users.ToDictionary(u => u, u => Build(u, isOrg: false, rows, thresholds));
    }

    public static async Task<ScopeAnalysis> AnalyzeOrgAsync(
        NpgsqlConnection connection, DateTime start, DateTime end, string version, InsightThresholds thresholds, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(connection, OrgSql, [], start, end, version, thresholds, null, cancellationToken);
        return Build(Guid.Empty, isOrg: true, rows, thresholds);
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
        InsightThresholds t)
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
            insights.Add(new Insight(InsightTypes.KnowledgeGap, Hash(recurring.Normalized),
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

    private static string Hash(string text) => "q:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
