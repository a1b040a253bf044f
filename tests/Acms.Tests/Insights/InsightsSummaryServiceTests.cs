using Acms.Domain.Common;
using Acms.Domain.Insights;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Insights;

public sealed class InsightsSummaryServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresServer.CreateDatabaseAsync();
        _services = TestHost.Build(_db, new FakeTimeProvider(Now));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private async Task<InsightsSummary> GetAsync(int days, Guid? user)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InsightsSummaryService>().GetAsync(days, user, CancellationToken.None);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    [InlineData(-7)]
    public async Task Period_days_outside_1_to_365_are_rejected(int days)
    {
        var error = await Assert.ThrowsAsync<AcmsValidationException>(() => GetAsync(days, null));
        Assert.Equal("period_days", error.Field);
    }

    [Fact]
    public async Task An_unknown_user_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(7, Guid.NewGuid()));
    }

    [Fact]
    public async Task The_summary_reads_the_rollups_and_stored_insights_in_the_original_shape()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        var other = await Seed.UserAsync(_db.DataSource);
        for (var i = 0; i < 6; i++)
        {
            await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-1).AddMinutes(i), $"How do I tune the Kafka consumer group number {i}?",
                "Kafka consumer groups scale with partitions.", costUsd: 0.1, fromCache: i == 0);
        }

        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-9), "How do I tune the Kafka consumer group?", "Kafka consumer groups scale with partitions.");
        await QaSeed.QueryAsync(_db.DataSource, other, Now.AddDays(-2), "How do I plan the Zephyr merger integration?", "Zephyr merger integration plan.", privacy: "CONFIDENTIAL");
        var runner = _services.GetRequiredService<JobRunner>();
        Assert.Equal(JobRunStatus.Succeeded, (await runner.RunAsync("topic_extraction", JobTrigger.Cli, false, CancellationToken.None)).Status);
        Assert.Equal(JobRunStatus.Succeeded, (await runner.RunAsync("insight_generation", JobTrigger.Cli, false, CancellationToken.None)).Status);

        var mine = await GetAsync(7, user);
        var org = await GetAsync(7, null);

        Assert.Equal(6, mine.Data.KeyStats.TotalQueries);
        Assert.Equal(1, mine.Data.KeyStats.PreviousQueries);
        Assert.Equal(0.1667, mine.Data.KeyStats.CacheHitRate);
        Assert.Equal(0.1, mine.Data.KeyStats.AvgCostUsd!.Value, 6);
        Assert.Contains(mine.Data.TopTopics, t => t.Topic.Contains("kafka", StringComparison.Ordinal) && t.Count == 6);
        Assert.Contains(mine.Data.Insights, i => i.Type == "cost_trend");
        Assert.Contains(mine.Data.Recommendations, r => r.Type == "knowledge_base");
        Assert.Equal("user", mine.Meta.Scope);
        Assert.Equal(6, org.Data.KeyStats.TotalQueries); // the CONFIDENTIAL row does not count in the organisation's figures
        Assert.DoesNotContain(org.Data.TopTopics, t => t.Topic.Contains("zephyr", StringComparison.Ordinal) || t.Topic.Contains("merger", StringComparison.Ordinal));

        // A user's topics come from their own extractions (the rollup keeps the organisation's only): their own
        // CONFIDENTIAL row counts for them, and the previous period is counted as the org's is.
        var theirs = await GetAsync(7, other);
        Assert.Contains(theirs.Data.TopTopics, t => (t.Topic.Contains("zephyr", StringComparison.Ordinal) || t.Topic.Contains("merger", StringComparison.Ordinal)) && t.Count == 1);
        Assert.Equal(1, mine.Data.TopTopics.First(t => t.Topic.Contains("kafka", StringComparison.Ordinal) && t.Count == 6).PreviousCount);
        Assert.Equal(0, await QaSeed.ScalarAsync<long>(_db.DataSource,
            "SELECT count(*) FROM topic_daily_stats WHERE user_id <> '00000000-0000-0000-0000-000000000000'"));

        var json = Json.Serialize(org);
        Assert.StartsWith("{\"data\":{\"period\":{", json);
        foreach (var key in new[] { "\"key_stats\"", "\"top_topics\"", "\"insights\"", "\"recommendations\"", "\"meta\"", "\"total_queries\"", "\"trend_percent\"" })
        {
            Assert.Contains(key, json);
        }

        Assert.DoesNotContain("zephyr", json, StringComparison.OrdinalIgnoreCase);
    }

    // Finding 3: the summary read the insights at the latest period_end of the scope, so when the current period produced
    // none, a month-old "High cost per query" was shown as current.
    [Fact]
    public async Task Insights_of_an_older_period_are_never_shown_as_current_and_the_summary_says_there_are_none()
    {
        var today = new DateTime(Now.Year, Now.Month, Now.Day, 0, 0, 0, DateTimeKind.Utc);
        await InsertOrgInsightAsync(today.AddDays(-37), today.AddDays(-30), "cost_trend", "High cost per query", createdAt: today.AddDays(-30));

        var stale = await GetAsync(7, null);

        Assert.Empty(stale.Data.Insights);
        Assert.Equal("none_for_period", stale.Meta.InsightsStatus);
        Assert.Null(stale.Meta.InsightsPeriodEnd);
        Assert.Contains("No insights", stale.Meta.InsightsNote);
        Assert.DoesNotContain("High cost", Json.Serialize(stale), StringComparison.Ordinal);

        var generatedAt = today.AddHours(2);
        await InsertOrgInsightAsync(today.AddDays(-7), today, "productivity_trend", "Low cache hit rate", generatedAt);
        var current = await GetAsync(7, null);
        var month = await GetAsync(30, null);

        Assert.Equal("Low cache hit rate", Assert.Single(current.Data.Insights).Title);
        Assert.Equal("current", current.Meta.InsightsStatus);
        Assert.Equal(today, current.Meta.InsightsPeriodEnd);
        Assert.Equal(generatedAt, current.Meta.InsightsGeneratedAt);
        // Stored insights cover 7 days; a 30-day summary has none of its own period rather than borrowing them.
        Assert.Empty(month.Data.Insights);
        Assert.Equal("none_for_period", month.Meta.InsightsStatus);
    }

    private async Task InsertOrgInsightAsync(DateTime start, DateTime end, string type, string title, DateTime createdAt) =>
        await QaSeed.ScalarAsync<int>(_db.DataSource, """
            INSERT INTO user_insights (scope, user_id, period_start, period_end, insight_type, insight_key, title, description, evidence, confidence, created_at)
            VALUES ('org', NULL, @start, @end, @type, @type, @title, @title, '{"query_ids": [], "count": 1}', 0.9, @createdAt)
            RETURNING 1
            """, new { start, end, type, title, createdAt });
}
