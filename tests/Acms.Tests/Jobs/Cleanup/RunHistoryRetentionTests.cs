using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.Cleanup;

public sealed class RunHistoryRetentionTests : DatabaseTest
{
    private async Task<Guid> RunAsync(string job, int daysAgo, string status, bool dryRun = false)
    {
        var id = Guid.NewGuid();
        var at = TestHost.Epoch.UtcDateTime.AddDays(-daysAgo);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, dry_run, started_at, completed_at)
            VALUES (@id, @job, 'timer', @status, @dryRun, @at, CASE WHEN @status = 'running' THEN NULL ELSE @at END)
            """, new { id, job, status, dryRun, at });
        return id;
    }

    [Fact]
    public async Task Runs_older_than_the_retention_are_purged_in_batches_but_never_a_jobs_latest_run_or_latest_success()
    {
        var keep = new List<Guid>
        {
            await RunAsync("decay", 200, "succeeded"),  // decay's latest success, however old
            await RunAsync("decay", 120, "failed"),     // decay's latest run
            await RunAsync("dedup", 96, "succeeded"),   // dedup's latest
            await RunAsync("topic_extraction", 10, "succeeded"), // within 90 days
            await RunAsync("insight_generation", 150, "running"), // never a running row
        };
        var purge = new List<Guid>
        {
            await RunAsync("decay", 150, "failed"),
            await RunAsync("decay", 130, "succeeded", dryRun: true), // a dry run is not a success to keep
        };
        for (var day = 100; day > 96; day--)
        {
            purge.Add(await RunAsync("dedup", day, "succeeded"));
        }

        keep.Add(await RunAsync("insight_generation", 140, "succeeded"));
        await using (var seed = await Db.DataSource.OpenConnectionAsync())
        {
            // The lease's record of each batch goes with its run, and stays with a kept one.
            await seed.ExecuteAsync("""
                INSERT INTO job_run_batches (job_run_id, batch_no, fencing_token, committed_at, rows_affected)
                SELECT id, n, 1, now(), 10 FROM unnest(@Ids) AS id CROSS JOIN generate_series(1, 3) AS n
                """, new { Ids = new[] { purge[0], purge[2], keep[0] } });
        }


        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "2" });
        var runner = services.GetRequiredService<JobRunner>();

        var dry = await runner.RunAsync("cleanup", JobTrigger.Cli, dryRun: true, CancellationToken.None);
        Assert.Equal(6L, Convert.ToInt64(dry.Details["would_purge_job_runs"], System.Globalization.CultureInfo.InvariantCulture));

        var run = await runner.RunAsync("cleanup", JobTrigger.Cli, dryRun: false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(6L, run.Details["job_runs_purged"]);
        Assert.Equal(6L, run.Details["job_run_batches_purged"]);
        Assert.Equal(3L, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM job_run_batches WHERE job_run_id = @Id", new { Id = keep[0] }));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var left = (await connection.QueryAsync<Guid>("SELECT job_run_id FROM job_runs")).ToHashSet();
        Assert.All(keep, id => Assert.Contains(id, left));
        Assert.All(purge, id => Assert.DoesNotContain(id, left));
        Assert.Contains(dry.RunId, left);
        Assert.Contains(run.RunId, left);
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_the_history()
    {
        await RunAsync("decay", 400, "failed");
        await RunAsync("decay", 300, "failed");
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?> { ["Jobs:Cleanup:RunHistoryRetentionDays"] = "0" });

        var run = await services.GetRequiredService<JobRunner>().RunAsync("cleanup", JobTrigger.Cli, dryRun: false, CancellationToken.None);

        Assert.Equal(0L, run.Details["job_runs_purged"]);
        Assert.Equal(3L, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM job_runs"));
    }
}
