using System.Diagnostics;
using System.Globalization;
using Acms.EndToEnd.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Acms.EndToEnd.Dashboard;

/// <summary>
/// How long each dashboard page takes to show its data, in a real browser on the real host, over the benchmark's
/// dataset (<see cref="LoadHost"/>). A page counts as loaded when its data is on screen, timed from the navigation that
/// opens it with the key, the way a user opens a bookmarked link. The first open is in a fresh profile; then each page is
/// opened <see cref="Opens"/> more times and the median is the figure. When a size is asked for
/// (<c>ACMS_E2E_LOAD_MEMORIES</c>), every page's median must be under one second; at the suite's default size the
/// figures are recorded and the pages must still show their data.
/// </summary>
[Collection(LoadHostCollection.Name)]
public sealed class DashboardLoadTests(LoadHost host, ITestOutputHelper output) : DashboardBrowserTest<LoadHost>(host)
{
    private const int Opens = 5;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public async Task Every_page_shows_its_data_within_a_second()
    {
        Require();

        var reports = await Ledger.ScalarAsync<long>(Host.Database.DataSource, "SELECT count(*) FROM intelligence_reports");
        Assert.True(reports > 0, "the weekly report job stored a report");
        var pages = new (string Name, string Hash, Func<Task> Shown)[]
        {
            ("jobs", "", () => Expect(Page.Locator("article.job")).ToHaveCountAsync(6)),
            ("runs", "#/runs", () => Page.Locator("table tbody tr").First.WaitForAsync()),
            ("insights (organisation, 7 days)", "#/insights", async () =>
            {
                await Expect(Page.Locator("#insights-status")).ToContainTextAsync("organisation");
                await Page.Locator("svg.chart g").First.WaitForAsync();
            }),
            ("reports", "#/reports", () => Page.Locator("table tbody tr").First.WaitForAsync()),
        };

        var first = await TimeAsync(pages[0].Hash, pages[0].Shown);
        var lines = new List<string>
        {
            Say($"Dashboard load over {Host.Dataset} on the real host ({Host.LauncherName}), chromium 1280 px:"),
            Say($"  first open (new profile) jobs: {first.TotalMilliseconds:0} ms"),
        };
        var slow = new List<string>();
        foreach (var (name, hash, shown) in pages)
        {
            var times = new List<double>();
            for (var i = 0; i < Opens; i++)
            {
                times.Add((await TimeAsync(hash, shown)).TotalMilliseconds);
            }

            times.Sort();
            var median = times[Opens / 2];
            lines.Add(Say($"  {name}: median {median:0} ms over {Opens} opens (min {times[0]:0}, max {times[^1]:0})"));
            if (median >= Target.TotalMilliseconds)
            {
                slow.Add($"{name} {median:0} ms");
            }
        }

        // Within the page: the insights period switched to 90 days, the widest window the page offers.
        var widest = new List<double>();
        for (var i = 0; i < Opens; i++)
        {
            await TimeAsync("#/insights", () => Expect(Page.Locator("#insights-status")).ToContainTextAsync("organisation"));
            var clock = Stopwatch.StartNew();
            await Page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("90");
            await Expect(Page.Locator("#insights-status")).ToContainTextAsync("last 90 days");
            widest.Add(clock.Elapsed.TotalMilliseconds);
        }

        widest.Sort();
        lines.Add(Say($"  insights switched to 90 days: median {widest[Opens / 2]:0} ms (min {widest[0]:0}, max {widest[^1]:0})"));
        if (widest[Opens / 2] >= Target.TotalMilliseconds)
        {
            slow.Add($"insights 90 days {widest[Opens / 2]:0} ms");
        }

        await Browser.ScreenshotAsync(Host.OutputDirectory, "insights-90-days-load");
        Assert.Empty(Browser.ConsoleErrors);
        await File.AppendAllLinesAsync(Path.Combine(Host.OutputDirectory, "figures.txt"), lines);
        if (LoadHost.Measuring)
        {
            Assert.True(slow.Count == 0, $"pages over {Target.TotalSeconds} s at {Host.Memories:N0} memories: {string.Join(", ", slow)}");
        }
    }

    private async Task<TimeSpan> TimeAsync(string hash, Func<Task> shown)
    {
        var clock = Stopwatch.StartNew();
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey, hash);
        await shown();
        return clock.Elapsed;
    }

    private string Say(FormattableString line)
    {
        var text = line.ToString(CultureInfo.InvariantCulture);
        output.WriteLine(text);
        return text;
    }
}
