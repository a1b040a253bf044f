using Acms.Domain.Runs;
using Acms.Domain.Scheduling;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Scheduling;

public sealed class JobSchedulerTests : DatabaseTest
{
    [Fact]
    public async Task The_scheduler_runs_a_job_when_its_cron_comes_due_and_not_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
        await using var services = TestHost.Build(Db, time);
        var queries = services.GetRequiredService<JobRunQueries>();
        using var stop = new CancellationTokenSource();
        var scheduler = services.GetRequiredService<JobScheduler>().RunAsync(stop.Token);

        // 01:00 → 02:59: nothing is due.
        for (var i = 0; i < 119; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Yield();
        }

        await Task.Delay(200);
        Assert.Empty(await queries.ListRunsAsync("decay", 10, CancellationToken.None));

        // 03:00 → the decay timer fires once.
        time.Advance(TimeSpan.FromMinutes(1));
        IReadOnlyList<JobRunSummary> runs = [];
        for (var attempt = 0; attempt < 100 && (runs.Count == 0 || runs[0].Status == "running"); attempt++)
        {
            await Task.Delay(50);
            runs = await queries.ListRunsAsync("decay", 10, CancellationToken.None);
        }

        await stop.CancelAsync();
        await scheduler;
        var run = Assert.Single(runs);
        Assert.Equal(("timer", "succeeded"), (run.Trigger, run.Status));
        Assert.Equal(new DateTime(2026, 11, 2, 3, 0, 0, DateTimeKind.Utc), run.StartedAt);
    }

    [Fact]
    public async Task Runs_missed_while_the_scheduler_was_down_are_caught_up_once_and_marked_past_due()
    {
        // Decay last ran on its timer three days ago at 03:00; the scheduler starts at 10:00, after three missed 03:00 runs.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 5, 10, 0, 0, TimeSpan.Zero));
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at, completed_at)
                VALUES (gen_random_uuid(), 'decay', 'timer', 'succeeded', '2026-11-02 03:00:00+00', '2026-11-02 03:00:01+00')
                """);
        }

        await using var services = TestHost.Build(Db, time);
        var queries = services.GetRequiredService<JobRunQueries>();
        using var stop = new CancellationTokenSource();
        var scheduler = services.GetRequiredService<JobScheduler>().RunAsync(stop.Token);

        IReadOnlyList<JobRunSummary> runs = [];
        for (var attempt = 0; attempt < 200 && (runs.Count < 2 || runs[0].Status == "running"); attempt++)
        {
            await Task.Delay(50);
            runs = await queries.ListRunsAsync("decay", 10, CancellationToken.None);
        }

        await Task.Delay(300); // a second catch-up, if there were one, would show now
        runs = await queries.ListRunsAsync("decay", 10, CancellationToken.None);
        await stop.CancelAsync();
        await scheduler;

        Assert.Equal(2, runs.Count);
        Assert.Equal(("timer", "succeeded"), (runs[0].Trigger, runs[0].Status));
        Assert.Equal(time.GetUtcNow().UtcDateTime, runs[0].StartedAt);
        await using var check = await Db.DataSource.OpenConnectionAsync();
        Assert.True(await check.ExecuteScalarAsync<bool>("SELECT past_due FROM job_runs WHERE job_run_id = @RunId", new { runs[0].RunId }));
        // Jobs that never had a scheduled run have nothing to catch up.
        Assert.Equal(2, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM job_runs"));
    }
}
