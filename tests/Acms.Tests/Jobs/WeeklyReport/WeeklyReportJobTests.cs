using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Acms.Tests.Jobs.Leases;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.WeeklyReport;

/// <summary>Every report the job writes is a batch fenced by the run's lease (issue 14).</summary>
public sealed class WeeklyReportJobTests : DatabaseTest
{
    // Epoch is Monday 2026-11-02 03:00 UTC: the previous ISO week is [2026-10-26, 2026-11-02).
    private static readonly DateTimeOffset WeekStart = new(2026, 10, 26, 0, 0, 0, TimeSpan.Zero);

    private async Task<JobRunResult> RunAsync()
    {
        await using var services = TestHost.Build(Db);
        return await services.GetRequiredService<JobRunner>().RunAsync("weekly_report", JobTrigger.Cli, false, CancellationToken.None);
    }

    private async Task<Guid[]> ThreeActiveUsersAsync()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var user = await Seed.UserAsync(Db.DataSource);
            await TopicSeed.ManyAsync(Db.DataSource, user, ["kafka"], 2, WeekStart, WeekStart.AddDays(7));
            users.Add(user);
        }

        return [.. users];
    }

    private Task<long> ScalarAsync(string sql, object? args = null) => QaSeed.ScalarAsync<long>(Db.DataSource, sql, args);

    [Fact]
    public async Task A_run_records_one_batch_per_report_and_its_affected_count_is_the_sum_of_their_rows()
    {
        await ThreeActiveUsersAsync();

        var result = await RunAsync();

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        Assert.Equal(4L, await ScalarAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { result.RunId }));
        Assert.Equal(4L, await ScalarAsync("SELECT sum(rows_affected)::bigint FROM job_run_batches WHERE job_run_id = @RunId", new { result.RunId }));
        Assert.Equal(4L, await ScalarAsync("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId", new { result.RunId }));
        Assert.Equal(4L, await ScalarAsync("SELECT count(*) FROM intelligence_reports"));
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_over_stops_before_its_next_report_is_recorded_failed_and_keeps_its_committed_report()
    {
        var users = await ThreeActiveUsersAsync();
        var thief = await LeaseThief.OnFirstInsertAsync(Db.DataSource, "weekly_report", "intelligence_reports");

        var lost = await RunAsync();

        Assert.Equal(JobRunStatus.Failed, lost.Status);
        Assert.StartsWith("lease lost", lost.Error);
        Assert.Equal("failed", await QaSeed.ScalarAsync<string>(Db.DataSource, "SELECT status FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        // The first user's report committed (with the takeover); no other user's report nor the org report was written.
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId AND rows_affected = 1", new { lost.RunId }));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(1L, await ScalarAsync(
            "SELECT count(*) FROM intelligence_reports WHERE user_id = (SELECT u FROM unnest(@users) AS u ORDER BY u LIMIT 1)", new { users }));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM intelligence_reports"));
        // A lost lease stops the run: it is not one user's failure.
        Assert.Equal(0L, await ScalarAsync("SELECT error_count FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(1L, await ScalarAsync("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(thief, await QaSeed.ScalarAsync<Guid>(Db.DataSource, "SELECT holder_run_id FROM job_leases WHERE job_name = 'weekly_report'"));
    }
}
