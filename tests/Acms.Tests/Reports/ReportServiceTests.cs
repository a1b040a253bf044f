using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Reports;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Reports;

public sealed class ReportServiceTests : IAsyncLifetime
{
    // Epoch is Monday 2026-11-02 03:00 UTC: the previous ISO week is [2026-10-26, 2026-11-02).
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private static readonly DateTimeOffset WeekStart = new(2026, 10, 26, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WeekEnd = WeekStart.AddDays(7);
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private ReportService Reports => _scope.ServiceProvider.GetRequiredService<ReportService>();

    public async Task InitializeAsync()
    {
        _db = await PostgresServer.CreateDatabaseAsync();
        _services = TestHost.Build(_db, new FakeTimeProvider(Now));
        _scope = _services.CreateAsyncScope();
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Theory]
    [InlineData("yearly", "user", true, null, null, "json", "report_type")]
    [InlineData("weekly", "team", true, null, null, "json", "scope")]
    [InlineData("weekly", "user", false, null, null, "json", "user_id")]
    [InlineData("weekly", "org", true, null, null, "json", "user_id")]
    [InlineData("weekly", "org", false, null, null, "pdf", "format")]
    [InlineData("custom", "org", false, null, "2026-10-10", "json", "period_start")]
    [InlineData("custom", "org", false, "2026-10-10", null, "json", "period_end")]
    [InlineData("custom", "org", false, "2026-10-10", "2026-10-01", "json", "period_end")]
    [InlineData("custom", "org", false, "2026-10-10", "2026-10-10", "json", "period_end")]
    [InlineData("custom", "org", false, "not-a-date", "2026-10-10", "json", "period_start")]
    [InlineData("custom", "org", false, "2026-02-30", "2026-03-10", "json", "period_start")]
    [InlineData("custom", "org", false, "2024-01-01", "2026-01-01", "json", "period_end")]
    // Finding 7: far dates overflowed the period arithmetic (500) instead of being rejected.
    [InlineData("weekly", "org", false, "9999-12-31", null, "json", "period_start")]
    [InlineData("monthly", "org", false, "9999-12-31", null, "json", "period_start")]
    [InlineData("custom", "org", false, "0001-01-01", "0001-01-05", "json", "period_start")]
    [InlineData("custom", "org", false, "2026-01-01", "9999-12-31", "json", "period_end")]
    [InlineData("custom", "org", false, "1999-12-31T23:00:00Z", "2000-01-02", "json", "period_start")]
    public async Task Invalid_report_requests_are_rejected_with_the_field_at_fault(
        string type, string scope, bool withUser, string? start, string? end, string format, string field)
    {
        var request = new ReportRequest(type, scope, withUser ? Guid.NewGuid() : null, start, end, format);

        var error = await Assert.ThrowsAsync<AcmsValidationException>(() => Reports.GenerateAsync(request, CancellationToken.None));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task Unknown_users_and_reports_are_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Reports.GenerateAsync(new ReportRequest("weekly", "user", Guid.NewGuid()), CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Reports.GetAsync(Guid.NewGuid(), CancellationToken.None));
        await Assert.ThrowsAsync<AcmsValidationException>(() => Reports.ListAsync("everyone", null, 10, CancellationToken.None));
        await Assert.ThrowsAsync<AcmsValidationException>(() => Reports.ListAsync(null, null, 0, CancellationToken.None));
    }

    [Fact]
    public void Periods_default_to_the_previous_iso_week_and_the_previous_calendar_month()
    {
        Assert.Equal((new DateTime(2026, 10, 26), new DateTime(2026, 11, 2)), ReportPeriods.PreviousIsoWeek(new DateTime(2026, 11, 2, 3, 0, 0)));
        Assert.Equal((new DateTime(2026, 10, 26), new DateTime(2026, 11, 2)), ReportPeriods.PreviousIsoWeek(new DateTime(2026, 11, 8, 23, 59, 0)));
        Assert.Equal((new DateTime(2026, 10, 1), new DateTime(2026, 11, 1)), ReportPeriods.PreviousMonth(new DateTime(2026, 11, 2)));
        Assert.Equal((new DateTime(2025, 12, 1), new DateTime(2026, 1, 1)), ReportPeriods.PreviousMonth(new DateTime(2026, 1, 15)));
    }

    [Fact]
    public async Task A_weekly_user_report_has_topics_insights_recommendations_and_the_week_job_metrics()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kubernetes"], 6, WeekStart, WeekEnd, costUsd: 0.2);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kubernetes"], 2, WeekStart.AddDays(-7), WeekStart);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["redis"], 2, WeekStart, WeekEnd);
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at, affected_count) VALUES
                  (gen_random_uuid(), 'decay', 'timer', 'succeeded', '2026-10-27 03:00Z', 40),
                  (gen_random_uuid(), 'decay', 'timer', 'succeeded', '2026-10-28 03:00Z', 2),
                  (gen_random_uuid(), 'decay', 'timer', 'failed', '2026-10-29 03:00Z', 99),
                  (gen_random_uuid(), 'dedup', 'timer', 'succeeded', '2026-11-01 04:00Z', 5),
                  (gen_random_uuid(), 'cleanup', 'timer', 'succeeded', '2026-11-01 05:00Z', 7),
                  (gen_random_uuid(), 'cleanup', 'timer', 'succeeded', '2026-10-20 05:00Z', 1000)
                """);
        }

        var generated = await Reports.GenerateAsync(new ReportRequest("weekly", "user", user), CancellationToken.None);
        var report = generated.Report;

        Assert.Equal(WeekStart.UtcDateTime, report.PeriodStart);
        Assert.Equal(WeekEnd.UtcDateTime, report.PeriodEnd);
        Assert.Equal(new TopicTrendView("kubernetes", 6, 2, "UP", 200.0), View(report.TopTopics[0]));
        // The average is over the rows that have a cost; a personal report has no decay figure and counts only the user's archive.
        Assert.Equal(new ReportMetrics(8, 2, 0, 0.2, 1.2, null, 0, 0), report.Metrics);
        var org = await Reports.GenerateAsync(new ReportRequest("weekly", "org"), CancellationToken.None);
        Assert.Equal((42L, 5L, 7L), (org.Report.Metrics.MemoriesDecayed, org.Report.Metrics.MemoriesMerged, org.Report.Metrics.MemoriesCleaned));
        Assert.Contains(report.Insights, i => i.Type == "emerging_theme" && i.Key == "kubernetes");
        Assert.Contains(report.Insights, i => i.Type == "cost_trend");
        Assert.Contains(report.Recommendations, r => r.Type == "knowledge_base" && r.Topic == "kubernetes");
        Assert.DoesNotContain(report.Recommendations, r => r.Type == "knowledge_base" && r.Topic == "redis");
        Assert.Contains(report.Recommendations, r => r.Type == "emerging_theme");
        Assert.Contains(report.Recommendations, r => r.Type == "cost");
        Assert.StartsWith("application/json", generated.ContentType);
        using var json = JsonDocument.Parse(generated.Content);
        Assert.Equal("kubernetes", json.RootElement.GetProperty("data").GetProperty("top_topics")[0].GetProperty("topic").GetString());
        Assert.Equal(Json.Serialize(report), Json.Serialize(await Reports.GetAsync(report.Id, CancellationToken.None)));
    }

    [Fact]
    public async Task Generating_the_same_report_again_replaces_it_and_the_count_stays_1()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kafka"], 3, WeekStart, WeekEnd);
        var first = await Reports.GenerateAsync(new ReportRequest("weekly", "user", user), CancellationToken.None);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kafka"], 2, WeekStart, WeekEnd);

        var second = await Reports.GenerateAsync(new ReportRequest("weekly", "user", user, "2026-10-28"), CancellationToken.None);
        var list = await Reports.ListAsync("user", user, 10, CancellationToken.None);

        Assert.Equal(first.Report.Id, second.Report.Id);
        Assert.Equal(1, list.Data.Count);
        Assert.Equal(5, (await Reports.GetAsync(first.Report.Id, CancellationToken.None)).Metrics.QaCount);
        Assert.Equal(1L, await QaSeed.ScalarAsync<long>(_db.DataSource, "SELECT count(*) FROM intelligence_reports"));
    }

    [Fact]
    public async Task Markdown_and_html_escape_user_text_and_html_has_an_svg_chart()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kafka"], 3, WeekStart, WeekEnd, question: "How do I reset a Kafka consumer offset?");
        var generated = await Reports.GenerateAsync(new ReportRequest("weekly", "user", user, Format: "markdown"), CancellationToken.None);

        // Stored text is normalized already; the renderers must still escape anything that reaches them.
        const string Evil = "<script>alert('x')</script> **bold** [link](http://evil) | # &amp;";
        var evil = generated.Report with
        {
            Title = Evil,
            TopTopics = [new Acms.Domain.Insights.TopicTrend(Evil, 3, 1, "UP", 200)],
            Insights = [new Acms.Domain.Insights.Insight("knowledge_gap", "k", Evil, Evil, 0.5, new Acms.Domain.Insights.InsightEvidence([], 3))],
        };
        var markdown = ReportRenderer.Markdown(evil);
        var html = ReportService.Render(evil, "html");

        Assert.StartsWith("text/markdown", generated.ContentType);
        Assert.True(generated.Content.Contains("knowledge gap", StringComparison.OrdinalIgnoreCase), generated.Content);
        Assert.Contains("| kafka | 3 | 0 | NEW |", generated.Content);
        Assert.DoesNotContain("<script>", markdown);
        Assert.DoesNotContain("**bold**", markdown);
        Assert.DoesNotContain("[link](", markdown);
        Assert.Contains("\\*\\*bold\\*\\*", markdown);
        Assert.StartsWith("text/html", html.ContentType);
        Assert.DoesNotContain("<script>", html.Content);
        Assert.Contains("&lt;script&gt;", html.Content);
        Assert.Contains("&amp;amp;", html.Content);
        Assert.Contains("<svg", html.Content);
        Assert.Contains("</svg>", html.Content);
        Assert.Contains(">kafka</text>", ReportService.Render(generated.Report, "html").Content);
        var longName = ReportService.Render(generated.Report with { TopTopics = [new Acms.Domain.Insights.TopicTrend("retrieval-augmented-generation", 3, 1, "UP", 200)] }, "html").Content;
        Assert.Contains(">retrieval-augmented-gen…<title>retrieval-augmented-generation</title></text>", longName);
        Assert.Throws<AcmsValidationException>(() => ReportService.Render(generated.Report, "docx"));
    }

    [Fact]
    public async Task An_org_report_never_contains_confidential_or_local_only_text_or_topics()
    {
        var a = await Seed.UserAsync(_db.DataSource);
        var b = await Seed.UserAsync(_db.DataSource);
        await TopicSeed.ManyAsync(_db.DataSource, a, ["falcon-acquisition"], 4, WeekStart, WeekEnd, question: "Falcon acquisition price negotiation", privacy: "CONFIDENTIAL");
        await TopicSeed.ManyAsync(_db.DataSource, b, ["falcon-acquisition"], 3, WeekStart, WeekEnd, question: "Falcon acquisition price negotiation", privacy: "LOCAL_ONLY");
        await TopicSeed.ManyAsync(_db.DataSource, b, ["kubernetes"], 3, WeekStart, WeekEnd, question: "How do I drain a node?", privacy: "INTERNAL");

        var generated = await Reports.GenerateAsync(new ReportRequest("weekly", "org", null, Format: "html"), CancellationToken.None);
        var all = generated.Content + generated.Report.ExecutiveSummaryMd + ReportService.Render(generated.Report, "json").Content;

        Assert.DoesNotContain("falcon", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("drain a node", all, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("kubernetes", Assert.Single(generated.Report.TopTopics).Topic);
        Assert.Equal(3, generated.Report.Metrics.QaCount); // CONFIDENTIAL and LOCAL_ONLY rows are not even counted
        Assert.Null(generated.Report.UserId);
    }

    // Finding 4: a personal weekly report showed every user's decayed / merged / cleaned memories.
    [Fact]
    public async Task A_personal_report_counts_only_that_users_merged_and_cleaned_memories_and_leaves_decay_out()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        var other = await Seed.UserAsync(_db.DataSource);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kafka"], 2, WeekStart, WeekEnd);
        var run = Guid.NewGuid();
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at, affected_count) VALUES
                  (@run, 'dedup', 'timer', 'succeeded', '2026-11-01 04:00Z', 9),
                  (gen_random_uuid(), 'decay', 'timer', 'succeeded', '2026-10-27 03:00Z', 500);
                INSERT INTO memory_items_archive (memory_id, user_id, content, content_hash, tier, crs_score, semantic_score, recency_score, outcome_score,
                                                  frequency_score, correction_score, access_count, created_at, updated_at, privacy_level, row_data,
                                                  archive_run_id, archive_reason, archived_at)
                SELECT gen_random_uuid(), u, 'm', 'h', 'SHORT', 0, 0, 0, 0, 0, 0, 0, now(), now(), 'INTERNAL', '{}', @run, reason, at
                FROM (VALUES (@user, 'dedup', '2026-11-01 04:00Z'::timestamptz), (@user, 'dedup', '2026-11-01 04:00Z'), (@user, 'cleanup', '2026-10-30 05:00Z'),
                             (@user, 'dedup', '2026-10-20 04:00Z'),
                             (@other, 'dedup', '2026-11-01 04:00Z'), (@other, 'dedup', '2026-11-01 04:00Z'), (@other, 'cleanup', '2026-11-01 05:00Z')) AS v(u, reason, at)
                """, new { run, user, other });
        }

        var mine = (await Reports.GenerateAsync(new ReportRequest("weekly", "user", user, Format: "markdown"), CancellationToken.None));
        var old = (await Reports.GenerateAsync(new ReportRequest("custom", "user", user, "2026-08-01", "2026-08-08"), CancellationToken.None)).Report;

        Assert.Equal((null, 2L, 1L), (mine.Report.Metrics.MemoriesDecayed, mine.Report.Metrics.MemoriesMerged, mine.Report.Metrics.MemoriesCleaned));
        Assert.Contains("Memories merged: 2", mine.Content);
        Assert.DoesNotContain("decayed", mine.Content, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"memories_decayed\": null", ReportService.Render(mine.Report, "json").Content.Replace("\":null", "\": null", StringComparison.Ordinal));
        // Older than the archive keeps (30 days): the purge may have removed rows, so the figures are left out.
        Assert.Equal((null, null, null), (old.Metrics.MemoriesDecayed, old.Metrics.MemoriesMerged, old.Metrics.MemoriesCleaned));
    }

    // The weekly job prepares a report on a read connection and stores it inside its own batch's transaction.
    [Fact]
    public async Task A_prepared_report_is_stored_only_when_the_transaction_it_was_handed_commits()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await TopicSeed.ManyAsync(_db.DataSource, user, ["kafka"], 3, WeekStart, WeekEnd);
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        var draft = await Reports.PrepareAsync(connection, "weekly", "user", user, WeekStart.UtcDateTime, WeekEnd.UtcDateTime, "test", CancellationToken.None);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM intelligence_reports"));

        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            await ReportService.StoreAsync(connection, rolledBack, draft, CancellationToken.None);
            await rolledBack.RollbackAsync();
        }

        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM intelligence_reports"));
        await using (var committed = await connection.BeginTransactionAsync())
        {
            await ReportService.StoreAsync(connection, committed, draft, CancellationToken.None);
            await committed.CommitAsync();
        }

        var stored = await Reports.GetAsync(draft.Id, CancellationToken.None);
        Assert.Equal((3L, "test", user), (stored.Metrics.QaCount, stored.GeneratedBy, stored.UserId!.Value));
    }

    [Fact]
    public async Task The_weekly_job_writes_one_report_per_active_user_and_one_org_report_and_a_rerun_replaces_them()
    {
        var a = await Seed.UserAsync(_db.DataSource);
        var b = await Seed.UserAsync(_db.DataSource);
        await Seed.UserAsync(_db.DataSource); // no questions that week: no report
        await TopicSeed.ManyAsync(_db.DataSource, a, ["kafka"], 3, WeekStart, WeekEnd);
        await TopicSeed.ManyAsync(_db.DataSource, b, ["redis"], 2, WeekStart, WeekEnd);
        var runner = _services.GetRequiredService<JobRunner>();

        var first = await runner.RunAsync("weekly_report", JobTrigger.Timer, false, CancellationToken.None);
        var second = await runner.RunAsync("weekly_report", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, first.Status);
        Assert.Equal(3, first.AffectedCount);
        Assert.Equal(3, second.AffectedCount);
        var rows = await QaSeed.QueryListAsync<(string Scope, Guid? User, DateTime Start, string By)>(_db.DataSource,
            "SELECT scope, user_id, period_start, generated_by FROM intelligence_reports ORDER BY scope, user_id");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["org", "user", "user"], rows.Select(r => r.Scope));
        Assert.All(rows, r => Assert.Equal(WeekStart.UtcDateTime, r.Start));
        Assert.All(rows, r => Assert.Equal("weekly_report_job", r.By));
    }

    private sealed record TopicTrendView(string Topic, long Count, long Previous, string Trend, double? Percent);

    private static TopicTrendView View(Acms.Domain.Insights.TopicTrend t) => new(t.Topic, t.Count, t.PreviousCount, t.Trend, t.TrendPercent);
}
