using System.Net;
using Acms.Domain.Jobs;
using Acms.EndToEnd.Infrastructure;

namespace Acms.EndToEnd;

/// <summary>The timers on the real host: each fires from its <c>%Setting%</c> schedule and writes the ledger; a paused job's tick is recorded skipped.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class TimerTests(FunctionsHost host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Each_jobs_timer_fires_from_its_schedule_setting_and_writes_its_run_to_the_ledger()
    {
        host.RequireHost();

        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            await E2e.WaitForAsync($"a finished timer run of {job.Name} in the ledger", Patience, async () =>
                await E2e.ScalarAsync<long>(host.Database.DataSource,
                    "SELECT count(*) FROM job_runs WHERE job_name = @Job AND trigger = 'timer' AND status <> 'running'", new { Job = job.Name }) > 0);
            var function = job.ScheduleSetting.Replace("Schedule", "Timer", StringComparison.Ordinal);
            Assert.Contains($"Executed 'Functions.{function}'", host.HostLog(), StringComparison.Ordinal);
            // The host resolved %<Job>Schedule% to the value this test gave it ("*/10 * * * * *", which it prints expanded).
            Assert.Contains($"The next 5 occurrences of the '{function}' schedule (Cron: '0,10,20,30,40,50 * * * * *')", host.HostLog(), StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task A_paused_jobs_timer_tick_is_recorded_skipped_with_the_reason_and_resuming_runs_it_again()
    {
        host.RequireHost();
        var pausedAt = await E2e.ScalarAsync<DateTime>(host.Database.DataSource, "SELECT now()");
        var pause = await host.Client.PostAnswerAsync("api/v2/jobs/cleanup/pause", """{"reason":"e2e maintenance window"}""");
        Assert.True(pause.Status == HttpStatusCode.OK, pause.ToString());
        DateTime resumedAt;
        try
        {
            await E2e.WaitForAsync("a skipped cleanup timer tick", Patience, async () =>
                await E2e.ScalarAsync<long>(host.Database.DataSource, """
                    SELECT count(*) FROM job_runs WHERE job_name = 'cleanup' AND trigger = 'timer' AND status = 'skipped'
                      AND started_at > @pausedAt AND error_summary LIKE 'paused: e2e maintenance window (by function-key:%'
                    """, new { pausedAt }) > 0);

            // Manual runs still run while paused.
            var manual = await host.Client.PostAnswerAsync("api/v2/jobs/cleanup/run?dry_run=true");
            Assert.True(manual.Status == HttpStatusCode.OK, manual.ToString());
        }
        finally
        {
            resumedAt = await E2e.ScalarAsync<DateTime>(host.Database.DataSource, "SELECT now()");
            Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAnswerAsync("api/v2/jobs/cleanup/resume")).Status);
        }

        await E2e.WaitForAsync("a cleanup timer run after resuming", Patience, async () =>
            await E2e.ScalarAsync<long>(host.Database.DataSource,
                "SELECT count(*) FROM job_runs WHERE job_name = 'cleanup' AND trigger = 'timer' AND status = 'succeeded' AND started_at > @resumedAt",
                new { resumedAt }) > 0);
        Assert.Equal(0, await E2e.ScalarAsync<long>(host.Database.DataSource, "SELECT count(*) FROM job_pauses"));
    }

    [SkippableFact]
    public async Task Host_json_logging_levels_are_applied_by_the_host()
    {
        host.RequireHost();
        await E2e.WaitForAsync("a timer execution in the host log", Patience, () => Task.FromResult(host.HostLog().Contains("Executing 'Functions.", StringComparison.Ordinal)));

        var log = host.HostLog();
        // host.json "logging.logLevel": the host's filter rules name its categories, and Function-level information is written.
        Assert.Matches("\"CategoryName\": \"Npgsql\",\\s*\"LogLevel\": \"Warning\"", log);
        Assert.Matches("\"CategoryName\": \"Function\",\\s*\"LogLevel\": \"Information\"", log);
        Assert.Contains("info: Function.", log, StringComparison.Ordinal);
    }
}
