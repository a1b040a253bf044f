using System.Text;
using System.Text.Json;
using Acms.Domain.Access;
using Acms.Domain.Jobs;
using Acms.Functions.Access;
using Acms.Functions.Insights;
using Acms.Functions.Reports;
using Acms.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Functions;

/// <summary>The insights and reports APIs called directly, over real data that the jobs produced.</summary>
public sealed class InsightsAndReportsFunctionsTests : IAsyncLifetime
{
    // A Monday: the weekly report covers the week before.
    private static readonly DateTimeOffset Now = new(2026, 11, 9, 6, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private Guid _user;

    public async Task InitializeAsync()
    {
        _db = await PostgresServer.CreateDatabaseAsync();
        _services = TestHost.Build(_db, new FakeTimeProvider(Now));
        _scope = _services.CreateAsyncScope();
        _user = await Seed.UserAsync(_db.DataSource);
        for (var i = 0; i < 6; i++)
        {
            await QaSeed.QueryAsync(_db.DataSource, _user, Now.AddDays(-3).AddHours(i), $"How do I tune postgres vacuum settings for table {i}?",
                "Set autovacuum_vacuum_scale_factor lower for large tables and watch dead tuples.", costUsd: 0.02);
        }

        var runner = _services.GetRequiredService<JobRunner>();
        foreach (var job in new[] { "topic_extraction", "insight_generation", "weekly_report" })
        {
            Assert.Equal(JobRunStatus.Succeeded, (await runner.RunAsync(job, JobTrigger.Cli, false, CancellationToken.None)).Status);
        }
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private T Create<T>() => ActivatorUtilities.CreateInstance<T>(_scope.ServiceProvider);

    private static HttpRequest Get(string query = "") => AutomationRequests.Get(query);

    private static HttpRequest Post(string body) => AutomationRequests.Post(body);

    private static int Status(IActionResult result) => FunctionAnswers.Status(result);

    private static JsonElement JsonBody(IActionResult result) => FunctionAnswers.Body(result);

    [Fact]
    public async Task The_insights_summary_answers_in_the_original_shape()
    {
        var result = await Create<InsightsFunctions>().InsightsSummary(Get($"?period_days=7&user_id={_user}"), CancellationToken.None);

        Assert.Equal(200, Status(result));
        var data = JsonBody(result).GetProperty("data");
        foreach (var property in new[] { "period", "key_stats", "top_topics", "insights", "recommendations" })
        {
            Assert.True(data.TryGetProperty(property, out _), $"data.{property} missing");
        }

        Assert.NotEqual(0, data.GetProperty("top_topics").GetArrayLength());
        Assert.True(JsonBody(result).TryGetProperty("meta", out _));
    }

    [Theory]
    [InlineData("?period_days=0", 400)]
    [InlineData("?period_days=366", 400)]
    [InlineData("?period_days=week", 400)]
    [InlineData("?user_id=42", 400)]
    [InlineData("?user_id=00000000-0000-0000-0000-000000000001", 404)]
    public async Task The_insights_summary_rejects_bad_parameters_with_problem_details(string query, int expected)
    {
        var result = await Create<InsightsFunctions>().InsightsSummary(Get(query), CancellationToken.None).AnswerAsync();

        Assert.Equal(expected, Status(result));
        Assert.Equal(expected == 400 ? "validation_failed" : "not_found", FunctionAnswers.Problem(result).Extensions["code"]);
    }

    [Fact]
    public async Task Generating_an_org_report_in_markdown_returns_markdown_and_stores_one_report_per_period()
    {
        var functions = Create<ReportsFunctions>();
        var body = """{"report_type":"weekly","scope":"org","format":"markdown"}""";

        var first = (ContentResult)await functions.GenerateReport(Post(body), CancellationToken.None);
        await functions.GenerateReport(Post(body), CancellationToken.None);
        var list = JsonBody(await functions.ListReports(Get("?scope=org"), CancellationToken.None)).GetProperty("data");

        Assert.Equal(200, first.StatusCode);
        Assert.StartsWith("text/markdown", first.ContentType);
        Assert.StartsWith("#", first.Content);
        Assert.Equal(1, list.GetProperty("count").GetInt32()); // the weekly job's org report for that week, replaced twice
    }

    [Theory]
    [InlineData("""{"report_type":"yearly","scope":"org"}""", "report_type")]
    [InlineData("""{"scope":"galaxy"}""", "scope")]
    [InlineData("""{"scope":"user"}""", "user_id")]
    [InlineData("""{"report_type":"custom","scope":"org","period_start":"2026-11-01","period_end":"2026-10-01"}""", "period_end")]
    [InlineData("""{"report_type":"custom","scope":"org","period_start":"yesterday","period_end":"2026-10-01"}""", "period_start")]
    [InlineData("""{"scope":"org","format":"pdf"}""", "format")]
    public async Task Generating_a_report_with_bad_values_is_a_400_naming_the_field(string body, string field)
    {
        var result = await Create<ReportsFunctions>().GenerateReport(Post(body), CancellationToken.None).AnswerAsync();

        Assert.Equal(400, Status(result));
        Assert.Equal(field, FunctionAnswers.Problem(result).Extensions["parameter"]);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"scope":"user","user_id":"not-a-uuid"}""")]
    [InlineData("[1,2]")]
    public async Task A_malformed_report_request_body_is_a_400(string body)
    {
        Assert.Equal(400, Status(await Create<ReportsFunctions>().GenerateReport(Post(body), CancellationToken.None).AnswerAsync()));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=1000")]
    [InlineData("?scope=galaxy")]
    [InlineData("?user_id=nobody")]
    public async Task Listing_reports_rejects_bad_filters(string query)
    {
        Assert.Equal(400, Status(await Create<ReportsFunctions>().ListReports(Get(query), CancellationToken.None).AnswerAsync()));
    }

    [Fact]
    public async Task A_stored_report_renders_as_html_with_its_chart_and_unknown_or_malformed_ids_are_404_or_400()
    {
        var functions = Create<ReportsFunctions>();
        var list = JsonBody(await functions.ListReports(Get(), CancellationToken.None)).GetProperty("data").GetProperty("reports");
        var id = list[0].GetProperty("id").GetString()!;

        var html = (ContentResult)await functions.GetReport(Get("?format=html"), id, CancellationToken.None);

        Assert.StartsWith("text/html", html.ContentType);
        Assert.Contains("<svg", html.Content);
        Assert.Equal(404, Status(await functions.GetReport(Get(), Guid.NewGuid().ToString(), CancellationToken.None).AnswerAsync()));
        Assert.Equal(400, Status(await functions.GetReport(Get(), "report-1", CancellationToken.None).AnswerAsync()));
        Assert.Equal(400, Status(await functions.GetReport(Get("?format=docx"), id, CancellationToken.None).AnswerAsync()));
    }
}
