using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Pausing;
using Acms.Domain.Runs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.Pausing;

public sealed class JobPausesTests : DatabaseTest
{
    [Fact]
    public async Task A_paused_job_skips_timer_runs_with_the_reason_runs_manually_and_runs_on_its_timer_again_when_resumed()
    {
        await using var services = TestHost.Build(Db);
        var pauses = services.GetRequiredService<JobPauses>();
        var runner = services.GetRequiredService<JobRunner>();

        var paused = await pauses.PauseAsync("Cleanup", "cli:alice", "  archive migration  ", CancellationToken.None);
        var timer = await runner.RunAsync("cleanup", JobTrigger.Timer, dryRun: false, CancellationToken.None);
        var manual = await runner.RunAsync("cleanup", JobTrigger.Http, dryRun: false, CancellationToken.None);
        var status = (await services.GetRequiredService<JobRunQueries>().StatusAsync(CancellationToken.None)).Jobs.Single(j => j.Id == "cleanup");
        await pauses.ResumeAsync("cleanup", CancellationToken.None);
        var resumed = await runner.RunAsync("cleanup", JobTrigger.Timer, dryRun: false, CancellationToken.None);

        Assert.Equal(("cleanup", true, "cli:alice", "archive migration"), (paused.Job, paused.Paused, paused.Pause!.By, paused.Pause.Reason));
        Assert.Equal(JobRunStatus.Skipped, timer.Status);
        Assert.StartsWith("paused: archive migration (by cli:alice since ", timer.Error);
        Assert.Equal(JobRunStatus.Succeeded, manual.Status);
        Assert.True(status.Paused);
        Assert.Equal("cli:alice", status.Pause!.By);
        Assert.Equal(TestHost.Epoch.UtcDateTime, status.Pause.At);
        Assert.Equal(JobRunStatus.Succeeded, resumed.Status);
        var ledger = await QaSeed.QueryListAsync<(string Trigger, string Status, string? Error)>(Db.DataSource,
            "SELECT trigger, status, error_summary FROM job_runs WHERE job_name = 'cleanup'");
        // Fake time: the three runs share a start time, so compare them as a set.
        Assert.Equal([("http", "succeeded"), ("timer", "skipped"), ("timer", "succeeded")], ledger.Select(r => (r.Trigger, r.Status)).Order());
    }

    [Fact]
    public async Task Pausing_twice_keeps_who_and_since_when_and_takes_a_new_reason()
    {
        await using var services = TestHost.Build(Db);
        var pauses = services.GetRequiredService<JobPauses>();

        await pauses.PauseAsync("decay", "cli:alice", "first", CancellationToken.None);
        var again = await pauses.PauseAsync("decay", "cli:bob", null, CancellationToken.None);
        var third = await pauses.PauseAsync("decay", "cli:bob", "second", CancellationToken.None);

        Assert.Equal(("cli:alice", "first"), (again.Pause!.By, again.Pause.Reason));
        Assert.Equal(("cli:alice", "second"), (third.Pause!.By, third.Pause.Reason));
    }

    [Fact]
    public async Task An_unknown_job_is_not_found_and_an_overlong_reason_is_rejected()
    {
        await using var services = TestHost.Build(Db);
        var pauses = services.GetRequiredService<JobPauses>();

        await Assert.ThrowsAsync<NotFoundException>(() => pauses.PauseAsync("defrag", "cli:alice", null, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => pauses.ResumeAsync("defrag", CancellationToken.None));
        var invalid = await Assert.ThrowsAsync<AcmsValidationException>(() => pauses.PauseAsync("decay", "cli:alice", new string('x', 501), CancellationToken.None));
        Assert.Equal("reason", invalid.Field);
    }

    [Fact]
    public async Task Each_committed_batch_is_counted_in_the_ledger_row()
    {
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?> { ["Jobs:Decay:BatchSize"] = "1" });
        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 3; i++)
        {
            await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-9), score: 0.5);
        }

        var run = await services.GetRequiredService<JobRunner>().RunAsync("decay", JobTrigger.Cli, dryRun: false, CancellationToken.None);
        var detail = await services.GetRequiredService<JobRunQueries>().FindRunAsync(run.RunId, CancellationToken.None);

        Assert.Equal((3, 3), (detail!.Progress.Rows, detail.Progress.Batches));
        Assert.NotNull(detail.Result);
        Assert.Equal(3, detail.Result!.Value.GetProperty("batches").GetInt32());
    }
}
