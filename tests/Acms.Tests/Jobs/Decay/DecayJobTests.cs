using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.Decay;

public sealed class DecayJobTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private readonly FakeTimeProvider _time = new(Now);

    private async Task<JobRunResult> RunDecayAsync(IDictionary<string, string?>? settings = null, bool dryRun = false)
    {
        await using var services = TestHost.Build(Db, _time, settings);
        return await services.GetRequiredService<JobRunner>().RunAsync("decay", JobTrigger.Cli, dryRun, CancellationToken.None);
    }

    [Fact]
    public async Task A_memory_idle_ten_days_loses_five_percent_for_each_day_past_the_seven_day_grace()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var created = Now.AddDays(-10);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, created, score: 0.8, outcomeScore: 0.6, frequencyScore: 0.4);

        var result = await RunDecayAsync();

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(1, result.AffectedCount);
        var scores = await Seed.ScoresAsync(Db.DataSource, memory);
        Assert.Equal(0.8 * Math.Pow(0.95, 3), scores.Crs, 9);
        Assert.Equal(0.6 * Math.Pow(0.95, 3), scores.Outcome, 9);
        Assert.Equal(0.4 * Math.Pow(0.95, 3), scores.Frequency, 9);
        Assert.Equal(created.AddDays(10).UtcDateTime, scores.LastDecayedAt);
    }

    [Fact]
    public async Task Decay_is_idempotent_within_a_day()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-20), score: 0.9);
        await RunDecayAsync();
        var afterFirst = await Seed.ScoresAsync(Db.DataSource, memory);

        var again = await RunDecayAsync();
        _time.Advance(TimeSpan.FromHours(23));
        var laterThatDay = await RunDecayAsync();

        Assert.Equal(0, again.AffectedCount);
        Assert.Equal(0, laterThatDay.AffectedCount);
        Assert.Equal(afterFirst, await Seed.ScoresAsync(Db.DataSource, memory));
    }

    [Fact]
    public async Task A_job_that_missed_three_days_catches_up_with_three_days_of_decay_once()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-8), score: 1.0);
        await RunDecayAsync();
        Assert.Equal(0.95, (await Seed.ScoresAsync(Db.DataSource, memory)).Crs, 9);

        _time.Advance(TimeSpan.FromDays(3));
        var catchUp = await RunDecayAsync();
        var again = await RunDecayAsync();

        Assert.Equal(1, catchUp.AffectedCount);
        Assert.Equal(0, again.AffectedCount);
        Assert.Equal(Math.Pow(0.95, 4), (await Seed.ScoresAsync(Db.DataSource, memory)).Crs, 9);
    }

    [Fact]
    public async Task Daily_runs_and_one_late_run_reach_the_same_scores()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var daily = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-7), score: 0.7);
        for (var day = 0; day < 5; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
            await RunDecayAsync();
        }

        Assert.Equal(0.7 * Math.Pow(0.95, 5), (await Seed.ScoresAsync(Db.DataSource, daily)).Crs, 9);
    }

    [Fact]
    public async Task An_access_restarts_the_seven_day_grace()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var recentlyUsed = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-60), lastAccessed: Now.AddDays(-6), score: 0.9,
            lastDecayedAt: Now.AddDays(-30));
        var usedNineDaysAgo = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-60), lastAccessed: Now.AddDays(-9), score: 0.9,
            lastDecayedAt: Now.AddDays(-30));

        var result = await RunDecayAsync();

        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(0.9, (await Seed.ScoresAsync(Db.DataSource, recentlyUsed)).Crs, 9);
        Assert.Equal(0.9 * Math.Pow(0.95, 2), (await Seed.ScoresAsync(Db.DataSource, usedNineDaysAgo)).Crs, 9);
    }

    [Fact]
    public async Task Scores_stop_at_the_floor_and_a_score_below_it_is_never_raised()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var nearFloor = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-30), score: 0.105);
        var belowFloor = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-30), score: 0.05);

        await RunDecayAsync();

        Assert.Equal(0.1, (await Seed.ScoresAsync(Db.DataSource, nearFloor)).Crs, 9);
        Assert.Equal(0.05, (await Seed.ScoresAsync(Db.DataSource, belowFloor)).Crs, 9);
    }

    [Fact]
    public async Task Rate_grace_days_and_floor_are_options()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-5), score: 1.0);

        var result = await RunDecayAsync(new Dictionary<string, string?>
        {
            ["Jobs:Decay:Rate"] = "0.5",
            ["Jobs:Decay:GraceDays"] = "2",
            ["Jobs:Decay:Floor"] = "0.2",
        });

        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(0.2, (await Seed.ScoresAsync(Db.DataSource, memory)).Crs, 9); // 0.5^3 = 0.125, held at 0.2
        Assert.Equal(0.5, result.Details["decay_rate"]);
        Assert.Equal(2, result.Details["idle_days"]);
        Assert.Equal(0.2, result.Details["floor"]);
    }

    [Fact]
    public async Task Memories_within_their_grace_are_untouched()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var young = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-7).AddHours(1), score: 0.9);

        var result = await RunDecayAsync();

        Assert.Equal(0, result.AffectedCount);
        Assert.Equal(new MemoryScores(0.9, 0.9, 0.9, null), await Seed.ScoresAsync(Db.DataSource, young));
    }

    [Fact]
    public async Task Decay_works_through_the_table_in_batches()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 10; i++)
        {
            await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-9), score: 0.5);
        }

        await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-1), score: 0.5);

        var result = await RunDecayAsync(new Dictionary<string, string?> { ["Jobs:Decay:BatchSize"] = "3" });

        Assert.Equal(10, result.AffectedCount);
        Assert.Equal(4, result.Details["batches"]);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(10, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM memory_items WHERE abs(crs_score - 0.5 * 0.95 * 0.95) < 1e-9"));
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_decay_and_changes_nothing()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var old = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-12), score: 0.9);
        await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-2), score: 0.9);

        var result = await RunDecayAsync(dryRun: true);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.True(result.DryRun);
        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(1L, result.Details["would_decay"]);
        Assert.Equal(new MemoryScores(0.9, 0.9, 0.9, null), await Seed.ScoresAsync(Db.DataSource, old));
    }

    [Fact]
    public async Task A_run_killed_between_batches_keeps_what_it_committed_and_the_next_run_finishes_the_rest_exactly_once()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO memory_items (memory_id, user_id, content, content_hash, crs_score, outcome_score, frequency_score, created_at)
                SELECT gen_random_uuid(), @User, 'm' || i, md5('m' || i), 1.0, 1.0, 1.0, @Created
                FROM generate_series(1, 2000) AS i
                """, new { User = user, Created = Now.AddDays(-10).UtcDateTime });
        }

        var settings = new Dictionary<string, string?> { ["Jobs:Decay:BatchSize"] = "1" };
        await using var services = TestHost.Build(Db, _time, settings);
        JobRunResult killed;
        await using (var kill = KillSwitch.When(Db.DataSource, "SELECT count(*) FROM memory_items WHERE last_decayed_at IS NOT NULL"))
        {
            killed = await services.GetRequiredService<JobRunner>().RunAsync("decay", JobTrigger.Cli, dryRun: false, kill.Token);
        }

        var finish = await RunDecayAsync();

        Assert.Equal(JobRunStatus.Failed, killed.Status);
        Assert.InRange(killed.AffectedCount, 1, 1999);
        Assert.Equal(2000, killed.AffectedCount + finish.AffectedCount);
        await using var check = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(2000, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM memory_items WHERE abs(crs_score - power(0.95, 3)) < 1e-9"));
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_over_stops_before_its_next_batch_and_keeps_what_it_committed()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO memory_items (memory_id, user_id, content, content_hash, crs_score, outcome_score, frequency_score, created_at)
                SELECT gen_random_uuid(), @User, 'm' || i, md5('m' || i), 1.0, 1.0, 1.0, @Created
                FROM generate_series(1, 2000) AS i
                """, new { User = user, Created = Now.AddDays(-10).UtcDateTime });
        }

        JobRunResult lost;
        LeaseThief.Takeover taken;
        await using (var services = TestHost.Build(Db, _time, new Dictionary<string, string?> { ["Jobs:Decay:BatchSize"] = "1" }))
        {
            (lost, taken) = await LeaseThief.RunUntilTakenAsync(services, Db.DataSource, "decay");
        }

        Assert.Equal((JobRunStatus.Failed, lost.RunId), (lost.Status, taken.RunId));
        Assert.StartsWith("lease lost", lost.Error);
        Assert.Equal(taken.BatchesCommitted, await BatchRecords.AssertMatchLedgerAsync(Db.DataSource, lost.RunId));
        await using var check = await Db.DataSource.OpenConnectionAsync();
        var decayed = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM memory_items WHERE abs(crs_score - power(0.95, 3)) < 1e-9");
        Assert.Equal(lost.AffectedCount, decayed);
        Assert.InRange(decayed, 1, 1999);

        var finish = await RunDecayAsync();

        Assert.Equal(JobRunStatus.Succeeded, finish.Status);
        Assert.True(await BatchRecords.AssertMatchLedgerAsync(Db.DataSource, finish.RunId) > 0);
        Assert.Equal(2000, lost.AffectedCount + finish.AffectedCount);
        Assert.Equal(2000, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM memory_items WHERE abs(crs_score - power(0.95, 3)) < 1e-9"));
    }
}
