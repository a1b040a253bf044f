using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Acms.Tests.Jobs.Leases;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.InsightGeneration;

/// <summary>Every write of the job is a batch fenced by the run's lease (issue 14).</summary>
public sealed class InsightGenerationBatchTests : DatabaseTest
{
    private static readonly DateTimeOffset End = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private async Task<JobRunResult> RunAsync(int batchSize)
    {
        await using var services = TestHost.Build(Db, null, new Dictionary<string, string?> { ["Jobs:InsightGeneration:BatchSize"] = batchSize.ToString() });
        return await services.GetRequiredService<JobRunner>().RunAsync("insight_generation", JobTrigger.Cli, false, CancellationToken.None);
    }

    private async Task<List<Guid>> ThreeUsersWithCostInsightsAsync()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var user = await Seed.UserAsync(Db.DataSource);
            await TopicSeed.ManyAsync(Db.DataSource, user, ["kafka"], 3, End.AddDays(-7), End, costUsd: 0.5);
            users.Add(user);
        }

        return users;
    }

    private Task<long> ScalarAsync(string sql, object? args = null) => QaSeed.ScalarAsync<long>(Db.DataSource, sql, args);

    [Fact]
    public async Task A_run_records_one_batch_per_write_and_its_affected_count_is_the_sum_of_their_rows()
    {
        await ThreeUsersWithCostInsightsAsync();

        var result = await RunAsync(batchSize: 2);

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        // Two pages of users (2 + 1), the org insights and org knowledge.
        Assert.Equal(4L, await ScalarAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { result.RunId }));
        var rows = await ScalarAsync("SELECT sum(rows_affected)::bigint FROM job_run_batches WHERE job_run_id = @RunId", new { result.RunId });
        Assert.Equal(rows, await ScalarAsync("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId", new { result.RunId }));
        Assert.Equal(rows, result.AffectedCount);
        Assert.Equal(rows, await ScalarAsync("SELECT (SELECT count(*) FROM user_insights) + (SELECT count(*) FROM org_knowledge)"));
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_over_stops_before_its_next_batch_is_recorded_failed_and_keeps_its_committed_batch()
    {
        var users = await ThreeUsersWithCostInsightsAsync();
        var thief = await LeaseThief.OnFirstInsertAsync(Db.DataSource, "insight_generation", "user_insights");

        var lost = await RunAsync(batchSize: 1);

        Assert.Equal(JobRunStatus.Failed, lost.Status);
        Assert.StartsWith("lease lost", lost.Error);
        Assert.Equal("failed", await QaSeed.ScalarAsync<string>(Db.DataSource, "SELECT status FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        // The first user's batch committed (with the takeover); the second user's batch, and everything after, did not.
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { lost.RunId }));
        var written = await ScalarAsync("SELECT rows_affected FROM job_run_batches WHERE job_run_id = @RunId", new { lost.RunId });
        Assert.True(written > 0);
        Assert.Equal(written, await ScalarAsync(
            "SELECT count(*) FROM user_insights WHERE user_id = (SELECT u FROM unnest(@Users) AS u ORDER BY u LIMIT 1)", new { Users = users.ToArray() }));
        Assert.Equal(written, await ScalarAsync("SELECT count(*) FROM user_insights"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM org_knowledge"));
        // A lost lease stops the run: it is not one user's failure.
        Assert.Equal(0L, await ScalarAsync("SELECT error_count FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(written, await ScalarAsync("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(thief, await QaSeed.ScalarAsync<Guid>(Db.DataSource, "SELECT holder_run_id FROM job_leases WHERE job_name = 'insight_generation'"));
    }
}
