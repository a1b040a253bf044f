using Acms.Domain.Jobs;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.Dedup;

/// <summary>Dedup killed mid-run and run twice at once: every group merged or untouched, nothing lost, one runner.</summary>
public sealed class DedupJobKillTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;

    private readonly FakeTimeProvider _time = new(Now);

    private async Task<JobRunResult> RunAsync(IDictionary<string, string?>? settings = null)
    {
        await using var services = TestHost.Build(Db, _time, settings);
        return await services.GetRequiredService<JobRunner>().RunAsync("dedup", JobTrigger.Cli, false, CancellationToken.None);
    }

    private Task<long> CountAsync(string sql, object? args = null) => ArchiveSeed.CountAsync(Db.DataSource, sql, args);

    private async Task SeedPairsAsync(int pairs, int users)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO users (user_id, username) SELECT gen_random_uuid(), 'bulk-' || u FROM generate_series(1, @users) AS u;
            INSERT INTO memory_items (memory_id, user_id, content, content_hash, crs_score, created_at, updated_at)
            SELECT gen_random_uuid(), u.user_id, v.content, md5(v.content), v.score, @Created, @Created
            FROM generate_series(1, @pairs) AS i
            JOIN (SELECT user_id, row_number() OVER (ORDER BY user_id) - 1 AS n FROM users WHERE username LIKE 'bulk-%') u ON u.n = i % @users
            CROSS JOIN LATERAL (VALUES ('Pair number ' || i || ' ' || md5(i::text), 0.9), ('PAIR NUMBER ' || i || ' ' || upper(md5(i::text)) || '!', 0.1)) AS v(content, score);
            INSERT INTO outcomes (outcome_id, memory_id, outcome_type) SELECT gen_random_uuid(), memory_id, 'used' FROM memory_items;
            """, new { pairs, users, Created = Now.AddDays(-2).UtcDateTime });
    }

    [Fact]
    public async Task A_run_killed_mid_way_leaves_every_group_merged_or_untouched_and_loses_nothing()
    {
        await SeedPairsAsync(pairs: 2000, users: 4);
        var original = await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items");
        var settings = new Dictionary<string, string?> { ["Jobs:Dedup:BatchSize"] = "1", ["Jobs:Dedup:UsersPerScan"] = "1" };

        JobRunResult killed;
        await using (var services = TestHost.Build(Db, _time, settings))
        {
            await using var kill = KillSwitch.When(Db.DataSource, "SELECT count(*) FROM memory_items_archive");
            killed = await services.GetRequiredService<JobRunner>().RunAsync("dedup", JobTrigger.Cli, dryRun: false, kill.Token);
        }

        Assert.Equal(JobRunStatus.Failed, killed.Status);
        Assert.InRange(killed.AffectedCount, 1, 1999);
        var live = await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items");
        var archived = await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items_archive");
        Assert.Empty(live.Intersect(archived));
        Assert.Equal(original, live.Union(archived).ToHashSet());
        Assert.Equal(killed.AffectedCount, archived.Count);
        Assert.Equal(4000L, await CountAsync("SELECT count(*) FROM outcomes"));
        // Each group is one pair: merged (one row left, holding both outcomes) or untouched (two rows, one outcome each).
        Assert.Equal(0L, await CountAsync("""
            SELECT count(*) FROM (
                SELECT substring(m.content from '\d+') AS pair, count(DISTINCT m.memory_id) AS rows, count(o.outcome_id) AS outcomes
                FROM memory_items m JOIN outcomes o USING (memory_id) GROUP BY 1) g
            WHERE NOT ((g.rows = 1 AND g.outcomes = 2) OR (g.rows = 2 AND g.outcomes = 2))
            """));
        Assert.Equal(2000L, await CountAsync("SELECT count(DISTINCT substring(content from '\\d+')) FROM memory_items"));

        var finish = await RunAsync();

        Assert.Equal(2000, killed.AffectedCount + finish.AffectedCount);
        Assert.Equal(2000L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(2000L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
        Assert.Equal(2000L, await CountAsync("SELECT count(*) FROM memory_items WHERE content LIKE 'Pair number %'"));
    }

    [Fact]
    public async Task Two_runs_at_once_one_runs_and_the_other_is_skipped()
    {
        await SeedPairsAsync(pairs: 1500, users: 3);
        await using var services = TestHost.Build(Db, _time, new Dictionary<string, string?> { ["Jobs:Dedup:BatchSize"] = "1" });
        var runner = services.GetRequiredService<JobRunner>();
        var first = runner.RunAsync("dedup", JobTrigger.Timer, dryRun: false, CancellationToken.None);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            for (var i = 0; i < 400 && await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM job_runs WHERE status = 'running'") == 0; i++)
            {
                await Task.Delay(10);
            }
        }

        var second = await runner.RunAsync("dedup", JobTrigger.Http, dryRun: false, CancellationToken.None);
        var done = await first;

        Assert.Equal(JobRunStatus.Skipped, second.Status);
        Assert.Equal(done.RunId, second.RunningRunId);
        Assert.Equal(JobRunStatus.Succeeded, done.Status);
        Assert.Equal(1500, done.AffectedCount);
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_over_stops_before_its_next_batch_and_keeps_what_it_committed()
    {
        await SeedPairsAsync(pairs: 2000, users: 4);
        var settings = new Dictionary<string, string?> { ["Jobs:Dedup:BatchSize"] = "1", ["Jobs:Dedup:UsersPerScan"] = "1" };

        JobRunResult lost;
        LeaseThief.Takeover taken;
        await using (var services = TestHost.Build(Db, _time, settings))
        {
            (lost, taken) = await LeaseThief.RunUntilTakenAsync(services, Db.DataSource, "dedup");
        }

        Assert.Equal((JobRunStatus.Failed, lost.RunId), (lost.Status, taken.RunId));
        Assert.StartsWith("lease lost", lost.Error);
        Assert.Equal(taken.BatchesCommitted, await BatchRecords.AssertMatchLedgerAsync(Db.DataSource, lost.RunId));
        var archived = await CountAsync("SELECT count(*) FROM memory_items_archive");
        Assert.Equal(lost.AffectedCount, archived);
        Assert.InRange(archived, 1, 1999);
        Assert.Equal(4000L - archived, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(4000L, await CountAsync("SELECT count(*) FROM outcomes"));

        var finish = await RunAsync();

        Assert.Equal(JobRunStatus.Succeeded, finish.Status);
        Assert.True(await BatchRecords.AssertMatchLedgerAsync(Db.DataSource, finish.RunId) > 0);
        Assert.Equal(2000, lost.AffectedCount + finish.AffectedCount);
        Assert.Equal(2000L, await CountAsync("SELECT count(*) FROM memory_items WHERE content LIKE 'Pair number %'"));
        Assert.Equal(2000L, await CountAsync("SELECT count(*) FROM memory_items"));
    }
}
