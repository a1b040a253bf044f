using System.Text.Json;
using Acms.EndToEnd.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Acms.EndToEnd.Dashboard;

/// <summary>Runs, Insights and Reports in a real browser against the app on the real host, checked against the database and the API.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed class DashboardPagesTests(DashboardHost host) : DashboardBrowserTest<DashboardHost>(host)
{

    private async Task GoAsync(string hash) => await Page.EvaluateAsync($"() => {{ location.hash = '{hash}'; }}");

    [SkippableFact]
    public async Task A_dry_run_is_listed_on_the_runs_page_and_its_page_shows_the_result_json()
    {
        Require();
        var memories = await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM memory_items");
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);

        var card = Page.Locator("article[data-job='dedup']");
        await card.GetByRole(AriaRole.Button, new() { Name = "Dry run", Exact = false }).ClickAsync();
        await Browser.ConfirmAsync();
        await Expect(Page.Locator("#job-dedup-answer")).ToContainTextAsync("would be affected", new() { Timeout = 60_000 });
        var runId = Guid.Parse((await Page.Locator("#job-dedup-answer a").First.GetAttributeAsync("data-run-id"))!);
        var run = await Ledger.FindAsync(Host.Database.DataSource, runId);
        Assert.NotNull(run);
        Assert.True(run.DryRun);
        Assert.Equal(memories, await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM memory_items"));

        await GoAsync("#/runs");
        await Page.GetByLabel("Job").SelectOptionAsync("dedup");
        await Expect(Page.Locator("table tbody tr").First).ToContainTextAsync("dry run");
        // The table fills as the filtered list arrives: wait for it to show every dedup run of the ledger.
        var ledgerRuns = await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM job_runs WHERE job_name = 'dedup'");
        await Expect(Page.Locator("table tbody tr")).ToHaveCountAsync((int)ledgerRuns, new() { Timeout = 30_000 });
        await Browser.ScreenshotAsync(Host.OutputDirectory, "runs");

        await Page.Locator($"a[data-run-id='{runId}']").First.ClickAsync();
        await Expect(Page.Locator("h1")).ToContainTextAsync(runId.ToString());
        var json = await Page.GetByLabel("Result JSON").InnerTextAsync();
        using var result = JsonDocument.Parse(json);
        Assert.True(result.RootElement.GetProperty("dry_run").GetBoolean());
        Assert.Equal(run.AffectedCount, result.RootElement.GetProperty("affected_count").GetInt64());
        Assert.Equal(runId, result.RootElement.GetProperty("run_id").GetGuid());
        await Expect(Page.Locator("#run-error")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(Host.OutputDirectory, "run-details");
        Assert.Empty(Browser.ConsoleErrors);
    }

    [SkippableFact]
    public async Task Insights_switch_between_the_organisation_and_a_user()
    {
        Require();
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey, "#/insights");

        var orgAnswer = (await Host.Client.GetAnswerAsync("api/v2/insights/summary?period_days=7")).Json;
        var org = orgAnswer.GetProperty("data");
        await Expect(Page.Locator("#insights-status")).ToContainTextAsync("organisation");
        // Live topic figures and stored insights each name their own window, so a trend in one can't seem to contradict the other.
        await Expect(Page.Locator("section[aria-labelledby='ins-topics'] p.muted"))
            .ToContainTextAsync($"Counted now over {org.GetProperty("period").GetProperty("start").GetString()![..10]}");
        var meta = orgAnswer.GetProperty("meta");
        if (meta.GetProperty("insights_status").GetString() == "current")
        {
            await Expect(Page.Locator("section[aria-labelledby='ins-list'] p.muted"))
                .ToContainTextAsync($"daily insight run over {meta.GetProperty("insights_period_start").GetString()![..10]}");
        }

        await Expect(Page.Locator("svg.chart g")).ToHaveCountAsync(org.GetProperty("top_topics").GetArrayLength());
        Assert.True(org.GetProperty("top_topics").GetArrayLength() > 0, "the seeded store has topics");
        await Expect(Page.Locator("svg.chart g").First).ToContainTextAsync(org.GetProperty("top_topics")[0].GetProperty("topic").GetString()!);
        var knowledge = await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM org_knowledge");
        await Expect(Page.Locator("section[aria-labelledby='ins-knowledge'] tbody tr")).ToHaveCountAsync((int)Math.Min(knowledge, 20));
        await Browser.ScreenshotAsync(Host.OutputDirectory, "insights-org");

        var user = Host.UserIds[1];
        var username = await Ledger.ScalarAsync<string>(Host.Database.DataSource, "SELECT username FROM users WHERE user_id = @user", new { user });
        await Page.GetByRole(AriaRole.Radio, new() { Name = "A user" }).CheckAsync();
        await Page.GetByLabel("User", new() { Exact = true }).SelectOptionAsync(user.ToString());
        await Expect(Page.Locator("#insights-status")).ToContainTextAsync(username);
        var mine = (await Host.Client.GetAnswerAsync($"api/v2/insights/summary?period_days=7&user_id={user}")).Data;
        var topics = mine.GetProperty("top_topics");
        await Expect(Page.Locator("svg.chart g")).ToHaveCountAsync(topics.GetArrayLength());
        if (topics.GetArrayLength() > 0)
        {
            await Expect(Page.Locator("svg.chart g").First).ToContainTextAsync(topics[0].GetProperty("topic").GetString()!);
        }

        await Expect(Page.Locator("section[aria-labelledby='ins-knowledge']")).ToHaveCountAsync(0);
        await Page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("30");
        await Expect(Page.Locator("#insights-status")).ToContainTextAsync("last 30 days");
        await Browser.ScreenshotAsync(Host.OutputDirectory, "insights-user");
        Assert.Empty(Browser.ConsoleErrors);
    }

    [SkippableFact]
    public async Task A_long_topic_name_is_drawn_whole_inside_the_chart_and_clear_of_its_trend()
    {
        Require();
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey, "#/insights");
        await Page.Locator("svg.chart g").First.WaitForAsync();

        // The page's own chart module, drawn with names as long as the lexicon's and longer, in the page's styles.
        var boxes = await Page.EvaluateAsync<JsonElement>("""
            async () => {
              const src = document.querySelector('script[type=module]').src;
              const { topicsChart } = await import(new URL('chart.js', src).href);
              const names = ['retrieval-augmented-generation', 'horizontal-pod-autoscaler', 'k8s',
                'a-topic-name-far-longer-than-any-the-lexicon-holds-and-then-some-more-words'];
              const figure = topicsChart(names.map((topic, i) => ({ topic, count: 40 - i, previous_count: 12, trend: 'UP', trend_percent: 233 })), 'long names');
              figure.id = 'long-names';
              document.querySelector('main').append(figure);
              const svg = figure.querySelector('svg');
              const width = svg.viewBox.baseVal.width;
              return [...svg.querySelectorAll('g')].map((g) => {
                const label = g.querySelector('.chart-label').getBBox();
                const trend = g.querySelector('.chart-trend').getBBox();
                return { text: g.querySelector('.chart-label').textContent, title: g.querySelector('title').textContent,
                         left: label.x, right: label.x + label.width, trendLeft: trend.x, width };
              });
            }
            """);

        Assert.Equal(4, boxes.GetArrayLength());
        foreach (var box in boxes.EnumerateArray())
        {
            var text = box.GetProperty("text").GetString()!;
            Assert.True(box.GetProperty("left").GetDouble() >= 0, $"'{text}' starts left of the chart");
            Assert.True(box.GetProperty("right").GetDouble() <= box.GetProperty("width").GetDouble(), $"'{text}' ends right of the chart");
            Assert.True(box.GetProperty("right").GetDouble() < box.GetProperty("trendLeft").GetDouble(), $"'{text}' runs under its trend");
        }

        Assert.Equal("retrieval-augmented-generation", boxes[0].GetProperty("text").GetString());
        Assert.Equal("horizontal-pod-autoscaler", boxes[1].GetProperty("text").GetString());
        // Only a name longer than the line is shortened, and the row's tooltip still holds all of it.
        Assert.EndsWith("…", boxes[3].GetProperty("text").GetString());
        Assert.StartsWith("a-topic-name-far-longer", boxes[3].GetProperty("title").GetString());
        await Page.Locator("#long-names").ScrollIntoViewIfNeededAsync();
        await Browser.ScreenshotAsync(Host.OutputDirectory, "chart-long-names");
        Assert.Empty(Browser.ConsoleErrors);
    }

    [SkippableFact]
    public async Task A_report_opens_with_its_chart_downloads_as_markdown_and_one_is_generated_for_a_period()
    {
        Require();
        var (id, title) = await OrgReportAsync();
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey, "#/reports");
        await Browser.ScreenshotAsync(Host.OutputDirectory, "reports");

        await Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).First.ClickAsync();
        await Expect(Page.Locator(".report h2").First).ToHaveTextAsync(title);
        await Expect(Page.Locator(".report svg rect").First).ToBeVisibleAsync();
        Assert.True(await Page.Locator(".report svg rect").CountAsync() >= 2);
        await Expect(Page.Locator(".report style, .report script")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(Host.OutputDirectory, "report");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Download Markdown" }).ClickAsync());
        var path = Path.Combine(Host.OutputDirectory, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        Assert.Equal($"report-{id}.md", download.SuggestedFilename);
        Assert.Equal(await Ledger.ScalarAsync<string>(Host.Database.DataSource, "SELECT executive_summary_md FROM intelligence_reports WHERE id = @id", new { id }),
            await File.ReadAllTextAsync(path));
        Assert.DoesNotContain(Browser.RequestUrls, u => u.StartsWith("blob:", StringComparison.Ordinal) && u.Contains("code=", StringComparison.Ordinal));

        await GoAsync("#/reports");
        var custom = await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM intelligence_reports WHERE report_type = 'custom'");
        await Page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("custom");
        await Page.GetByLabel("From (first day)").FillAsync(DateTime.UtcNow.AddDays(-14).ToString("yyyy-MM-dd"));
        await Page.GetByLabel("To (day after the last)").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await Expect(Page.Locator("#generate-answer")).ToContainTextAsync("Generated", new() { Timeout = 60_000 });
        Assert.Equal(custom + 1, await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM intelligence_reports WHERE report_type = 'custom'"));
        Assert.Empty(Browser.ConsoleErrors);
    }

    private async Task<(Guid Id, string Title)> OrgReportAsync()
    {
        await using var connection = await Host.Database.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT id, title FROM intelligence_reports WHERE scope = 'org' ORDER BY created_at DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the weekly report job wrote an org report while seeding");
        return (reader.GetGuid(0), reader.GetString(1));
    }
}
