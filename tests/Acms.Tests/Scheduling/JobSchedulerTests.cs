using Acms.Domain.Runs;
using Acms.Domain.Scheduling;
using Acms.Tests.Infrastructure;
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
}
