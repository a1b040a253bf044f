using System.Diagnostics;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Acms.Tests.Jobs.Leases;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs;

/// <summary><see cref="JobOptions.Pace"/>: after each committed batch the run rests for Pace times that batch's duration.</summary>
public sealed class JobPaceTests : DatabaseTest
{
    private ServiceProvider Build(string pace) =>
        TestHost.Build(Db, TimeProvider.System, new Dictionary<string, string?>
        {
            ["Jobs:Batching:Batches"] = "4",
            ["Jobs:Batching:PauseMs"] = "0",
            ["Jobs:Batching:BatchMs"] = "150",
            ["Jobs:Batching:Pace"] = pace,
        }, (services, configuration) => services.AddJob<BatchingJob, BatchingOptions>(configuration, BatchingJob.Definition));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(BatchingJob.ProbeTable);
    }

    /// <summary>Gaps between consecutive batches' commits, in milliseconds.</summary>
    private async Task<List<double>> GapsAsync(Guid runId)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<double>("""
            SELECT extract(epoch FROM applied_at - lag(applied_at) OVER (ORDER BY batch)) * 1000
            FROM lease_probe WHERE run_id = @runId ORDER BY batch OFFSET 1
            """, new { runId })).AsList();
    }

    [Fact]
    public async Task A_paced_run_rests_between_batches_for_pace_times_each_batch_and_applies_them_all()
    {
        await using var services = Build("2");

        var run = await services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Cli, dryRun: false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(4, run.AffectedCount);
        // A batch takes at least its 150 ms in pg_sleep; the next one starts no sooner than 2 x that after it committed,
        // and spends its own 150 ms before its row's timestamp: at least 450 ms between the rows.
        Assert.All(await GapsAsync(run.RunId), gap => Assert.True(gap >= 440, $"{gap:F0} ms between batches"));
    }

    // Topic extraction reads and analyses a batch before writing it, and a dedup scan may find nothing to merge: beside
    // live traffic that work is rested for too, from when it began, not only the write.
    [Fact]
    public async Task The_rest_counts_the_work_from_when_it_began_and_is_none_at_pace_0()
    {
        await using var services = Build("2");
        var batches = services.GetRequiredService<JobBatches>();
        var workStarted = batches.Timestamp();
        await Task.Delay(200);

        var resting = Stopwatch.StartNew();
        await batches.RestAsync(new JobContext(Guid.NewGuid(), JobTrigger.Cli, false, DateTime.UtcNow) { Pace = 2 }, workStarted, CancellationToken.None);
        var paced = resting.ElapsedMilliseconds;
        resting.Restart();
        await batches.RestAsync(new JobContext(Guid.NewGuid(), JobTrigger.Cli, false, DateTime.UtcNow), workStarted, CancellationToken.None);

        Assert.True(paced >= 390, $"rested {paced} ms after 200 ms of work at Pace 2");
        Assert.True(resting.ElapsedMilliseconds < 100, $"rested {resting.ElapsedMilliseconds} ms at Pace 0");
    }
}
