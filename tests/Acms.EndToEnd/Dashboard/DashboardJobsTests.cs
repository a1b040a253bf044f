using System.Globalization;
using System.Text.RegularExpressions;
using Acms.Domain.Jobs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Acms.EndToEnd.Dashboard;

/// <summary>The Jobs page in a real browser against the app on the real host; every action is checked in the database too.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed partial class DashboardJobsTests(DashboardHost host) : DashboardBrowserTest<DashboardHost>(host)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private ILocator Card(string job) => Page.Locator($"article[data-job='{job}']");

    private ILocator Answer(string job) => Page.Locator($"#job-{job}-answer");

    [SkippableFact]
    public async Task Opens_with_the_key_once_shows_six_jobs_and_keeps_the_key_out_of_every_other_url()
    {
        Require();

        var loaded = await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);
        await Expect(Page.Locator("article.job")).ToHaveCountAsync(6);
        var shown = await Page.Locator("article.job").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.job)");

        Assert.Equal(JobDefinitions.InScheduleOrder.Select(j => j.Name).Order(), shown.Order());
        Assert.DoesNotContain("code=", Page.Url, StringComparison.Ordinal);
        Assert.Equal(Host.FunctionKey, await Page.EvaluateAsync<string>("() => sessionStorage.getItem('acms.dashboard.key')"));
        var withKey = Browser.RequestUrls.Where(u => u.Contains(Host.FunctionKey, StringComparison.Ordinal) || u.Contains("code=", StringComparison.Ordinal)).ToList();
        Assert.Single(withKey);
        Assert.Contains("/api/dashboard?code=", withKey[0], StringComparison.Ordinal);
        Assert.Contains(Browser.RequestUrls, u => u.Contains("/api/v2/jobs/status", StringComparison.Ordinal));
        Assert.Empty(Browser.ConsoleErrors);

        // Each card's last run is the ledger's newest run of that job (cleanup's timer ticks every 10 s, so it is left out).
        foreach (var last in await Ledger.LatestAsync(Host.Database.DataSource))
        {
            if (last.JobName != JobDefinitions.Cleanup.Name)
            {
                await Expect(Card(last.JobName).Locator($"a[data-run-id='{last.JobRunId}']")).ToHaveCountAsync(1);
                await Expect(Card(last.JobName).Locator($".badge-{last.Status}")).ToHaveCountAsync(1);
            }
        }

        await Browser.ScreenshotAsync(Host.OutputDirectory, "jobs-1280");

        // Opened again in the same tab (assets revalidated by ETag, functions warm): what a returning user waits.
        var again = await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);
        await Expect(Page.Locator("article.job")).ToHaveCountAsync(6);
        var statusClock = System.Diagnostics.Stopwatch.StartNew();
        await Host.Client.GetAsync(new Uri("api/v2/jobs/status", UriKind.Relative));
        var status = statusClock.Elapsed;
        await File.AppendAllTextAsync(Path.Combine(Host.OutputDirectory, "figures.txt"), string.Create(CultureInfo.InvariantCulture,
            $"Dashboard: six jobs shown {loaded.TotalMilliseconds:0} ms after navigation (first open, new profile, 1280 px), {again.TotalMilliseconds:0} ms when opened again; GET status {status.TotalMilliseconds:0} ms{Environment.NewLine}"));
    }

    [SkippableFact]
    public async Task Is_usable_at_390_px_without_sideways_scrolling()
    {
        Require();
        await Page.SetViewportSizeAsync(390, 844);

        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);
        await Expect(Page.Locator("article.job")).ToHaveCountAsync(6);

        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the Jobs page scrolls sideways at 390 px");
        await Expect(Card("decay").GetByRole(AriaRole.Button, new() { NameRegex = RunButton() })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(Host.OutputDirectory, "jobs-390");
    }

    [SkippableFact]
    public async Task Run_decay_and_watch_it_finish_with_its_affected_count()
    {
        Require();

        // Fifty memories idle for a month and never decayed: work for this run whatever ran before it (not SHORT-tier, which
        // cleanup's 10-second timer may archive once idle).
        await Ledger.ScalarAsync<int>(Host.Database.DataSource, """
            WITH picked AS (SELECT memory_id FROM memory_items WHERE crs_score > 0.5 AND tier <> 'SHORT' ORDER BY memory_id LIMIT 50),
                 updated AS (UPDATE memory_items m SET last_accessed = now() - interval '30 days', last_decayed_at = NULL
                             FROM picked WHERE m.memory_id = picked.memory_id RETURNING 1)
            SELECT count(*)::int FROM updated
            """);
        var before = await Ledger.DecayStampsAsync(Host.Database.DataSource);
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);

        await Card("decay").GetByRole(AriaRole.Button, new() { NameRegex = RunButton() }).ClickAsync();
        await Browser.ConfirmAsync();
        await Expect(Answer("decay")).ToContainTextAsync("succeeded", new() { Timeout = (float)RunTimeout.TotalMilliseconds });

        var (runId, affected) = await ParseAnswerAsync("decay");
        var run = await Ledger.FindAsync(Host.Database.DataSource, runId);
        Assert.NotNull(run);
        Assert.Equal(("decay", "http", "succeeded", false), (run.JobName, run.Trigger, run.Status, run.DryRun));
        Assert.Equal(run.AffectedCount, affected);
        Assert.True(affected >= 50, $"decay affected {affected} memories; the test made 50 eligible");
        var after = await Ledger.DecayStampsAsync(Host.Database.DataSource);
        Assert.Equal(affected, after.Count(kv => before.TryGetValue(kv.Key, out var was) && was != kv.Value));
        await Expect(Card("decay")).ToContainTextAsync(string.Create(CultureInfo.InvariantCulture, $"{affected:N0} affected"));
        await Browser.ScreenshotAsync(Host.OutputDirectory, "jobs-decay-finished");
    }

    [SkippableFact]
    public async Task Running_decay_twice_at_once_shows_the_409_message_and_live_progress()
    {
        Require();
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);
        var since = await Ledger.ScalarAsync<DateTime>(Host.Database.DataSource, "SELECT now()");

        // Hold writes to memory_items so the first run stays in flight, the way a long run would.
        await using var blocker = await Host.Database.DataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockCommand = new Npgsql.NpgsqlCommand("LOCK TABLE memory_items IN SHARE ROW EXCLUSIVE MODE", blocker, hold))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        await Card("decay").GetByRole(AriaRole.Button, new() { NameRegex = RunButton() }).ClickAsync();
        await Browser.ConfirmAsync();
        var first = await Ledger.WaitForAsync(Host.Database.DataSource, "decay", since, r => r.Status == "running", RunTimeout, "running");
        await Expect(Card("decay").Locator(".progress")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(Card("decay").Locator(".progress")).ToContainTextAsync("rows");

        await Card("decay").GetByRole(AriaRole.Button, new() { NameRegex = RunButton() }).ClickAsync();
        await Browser.ConfirmAsync();
        await Expect(Answer("decay")).ToContainTextAsync("Already running: run", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(Answer("decay")).ToContainTextAsync(first.JobRunId.ToString()[^8..]);
        await Expect(Answer("decay")).ToContainTextAsync("started");
        await Browser.ScreenshotAsync(Host.OutputDirectory, "jobs-409");

        var skipped = await Ledger.WaitForAsync(Host.Database.DataSource, "decay", since, r => r.Status == "skipped", RunTimeout, "skipped");
        Assert.Equal("http", skipped.Trigger);
        Assert.Contains("already running", skipped.ErrorSummary, StringComparison.OrdinalIgnoreCase);

        await hold.RollbackAsync();
        await Expect(Answer("decay")).ToContainTextAsync("succeeded", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        Assert.Equal("succeeded", (await Ledger.FindAsync(Host.Database.DataSource, first.JobRunId))!.Status);
    }

    [SkippableFact]
    public async Task Pause_cleanup_then_a_timer_tick_is_skipped_as_paused_and_resume_runs_it_again()
    {
        Require();
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);

        await Card("cleanup").GetByRole(AriaRole.Button, new() { NameRegex = PauseButton() }).ClickAsync();
        await Browser.ConfirmAsync("browser test: hold cleanup");
        await Expect(Card("cleanup").Locator(".badge-paused")).ToBeVisibleAsync();
        await Expect(Card("cleanup")).ToContainTextAsync("browser test: hold cleanup");
        var pause = await Ledger.PauseAsync(Host.Database.DataSource, "cleanup");
        Assert.NotNull(pause);
        Assert.Equal("browser test: hold cleanup", pause.Reason);

        var pausedAt = await Ledger.ScalarAsync<DateTime>(Host.Database.DataSource, "SELECT now()");
        var skipped = await Ledger.WaitForAsync(Host.Database.DataSource, "cleanup", pausedAt,
            r => r is { Trigger: "timer", Status: "skipped" }, TimeSpan.FromSeconds(40), "skipped by its timer");
        Assert.Contains("paused", skipped.ErrorSummary, StringComparison.OrdinalIgnoreCase);

        await Page.EvaluateAsync("() => { location.hash = '#/runs?job=cleanup&status=skipped'; }");
        await Expect(Page.Locator("table tbody tr").First).ToContainTextAsync("paused", new() { Timeout = 10_000 });
        await Browser.ScreenshotAsync(Host.OutputDirectory, "runs-cleanup-skipped-paused");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await Card("cleanup").GetByRole(AriaRole.Button, new() { NameRegex = ResumeButton() }).ClickAsync();
        await Browser.ConfirmAsync();
        await Expect(Answer("cleanup")).ToContainTextAsync("Resumed");
        await Expect(Card("cleanup").Locator(".badge-paused")).ToHaveCountAsync(0);
        Assert.Null(await Ledger.PauseAsync(Host.Database.DataSource, "cleanup"));

        var resumedAt = await Ledger.ScalarAsync<DateTime>(Host.Database.DataSource, "SELECT now()");
        await Ledger.WaitForAsync(Host.Database.DataSource, "cleanup", resumedAt,
            r => r is { Trigger: "timer", Status: "succeeded" }, TimeSpan.FromSeconds(40), "run by its timer after resuming");
    }

    private async Task<(Guid RunId, long Affected)> ParseAnswerAsync(string job)
    {
        var runId = await Answer(job).Locator("a").First.GetAttributeAsync("data-run-id");
        var text = await Answer(job).InnerTextAsync();
        var affected = AffectedCount().Match(text);
        Assert.True(affected.Success, text);
        return (Guid.Parse(runId!), long.Parse(affected.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("^Run ")]
    private static partial Regex RunButton();

    [GeneratedRegex("^Pause ")]
    private static partial Regex PauseButton();

    [GeneratedRegex("^Resume ")]
    private static partial Regex ResumeButton();

    [GeneratedRegex("([0-9,]+) (?:would be )?affected")]
    private static partial Regex AffectedCount();
}
