using Acms.Domain.Jobs;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.Cleanup;

public sealed class CleanupJobTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private readonly FakeTimeProvider _time = new(Now);

    private async Task<JobRunResult> RunAsync(IDictionary<string, string?>? settings = null, bool dryRun = false)
    {
        await using var services = TestHost.Build(Db, _time, settings);
        return await services.GetRequiredService<JobRunner>().RunAsync("cleanup", JobTrigger.Cli, dryRun, CancellationToken.None);
    }

    private Task<Guid> MemoryAsync(Guid user, TimeSpan age, double outcome = 0.2, double frequency = 0.2, DateTimeOffset? lastAccessed = null, string tier = "SHORT") =>
        Seed.MemoryAsync(Db.DataSource, user, Now - age, lastAccessed, score: 0.3, outcomeScore: outcome, frequencyScore: frequency, tier: tier);

    private Task<long> CountAsync(string sql, object? args = null) => ArchiveSeed.CountAsync(Db.DataSource, sql, args);

    private Task<HashSet<Guid>> LiveAsync() => ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items");

    private static TimeSpan Days(double days) => TimeSpan.FromDays(days);

    [Fact]
    public async Task Cleanup_deletes_exactly_the_old_idle_low_scored_short_memories()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var hour = TimeSpan.FromHours(1);
        var doomed = new HashSet<Guid>
        {
            await MemoryAsync(user, Days(30) + hour),
            await MemoryAsync(user, Days(90), outcome: 0.49, frequency: 0.49),
            await MemoryAsync(user, Days(60), lastAccessed: Now - Days(30) - hour),
        };
        var kept = new HashSet<Guid>
        {
            await MemoryAsync(user, Days(30) - hour),
            await MemoryAsync(user, Days(90), outcome: 0.5),
            await MemoryAsync(user, Days(90), frequency: 0.5),
            await MemoryAsync(user, Days(90), lastAccessed: Now - Days(30) + hour),
            await MemoryAsync(user, Days(90), lastAccessed: Now - Days(1)),
            await MemoryAsync(user, Days(90), tier: "MID"),
            await MemoryAsync(user, Days(90), tier: "LONG"),
        };

        var result = await RunAsync();

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(3, result.AffectedCount);
        Assert.Equal(kept, await LiveAsync());
        Assert.Equal(doomed, await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items_archive WHERE archive_reason = 'cleanup' AND merged_into IS NULL"));
    }

    [Fact]
    public async Task Cleanup_deletes_in_batches_of_the_batch_size()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 10; i++)
        {
            await MemoryAsync(user, Days(40));
        }

        var young = await MemoryAsync(user, Days(3));

        var result = await RunAsync(new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "3" });

        Assert.Equal(10, result.AffectedCount);
        Assert.Equal(4, result.Details["batches"]);
        Assert.Equal(10L, result.Details["deleted"]);
        Assert.Equal([young], await LiveAsync());
    }

    [Fact]
    public async Task No_transaction_is_spent_on_a_batch_that_finds_nothing()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 10; i++)
        {
            await MemoryAsync(user, Days(40));
        }

        var settings = new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "3" };
        var first = await RunAsync(settings);
        var nothingLeft = await RunAsync(settings);
        _time.Advance(Days(31));
        var purge = await RunAsync(settings);

        // 10 memories in batches of 3: 3, 3, 3, 1 and no fifth; then 10 archive rows purged the same way.
        Assert.Equal([3L, 3L, 3L, 1L], await BatchRowsAsync(first.RunId));
        Assert.Empty(await BatchRowsAsync(nothingLeft.RunId));
        Assert.Equal(10L, purge.Details["archive_rows_purged"]);
        Assert.Equal(4, (await BatchRowsAsync(purge.RunId)).Count);
    }

    private async Task<List<long>> BatchRowsAsync(Guid runId)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<long>("SELECT rows_affected FROM job_run_batches WHERE job_run_id = @runId ORDER BY batch_no", new { runId })).AsList();
    }

    [Fact]
    public async Task Deleted_memories_and_their_outcomes_are_archived_as_they_were()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, Now - Days(45), Now - Days(40), score: 0.7, outcomeScore: 0.1, frequencyScore: 0.2,
            content: "Old scratch note", tags: ["tmp"], accessCount: 1);
        var outcomes = new HashSet<Guid> { await ArchiveSeed.OutcomeAsync(Db.DataSource, memory), await ArchiveSeed.OutcomeAsync(Db.DataSource, memory, "ignored", null) };

        var result = await RunAsync();

        Assert.Equal(2L, result.Details["outcomes_archived"]);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM outcomes"));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Content, double Crs, double Outcome, double Frequency, string[] Tags, int AccessCount, DateTime LastAccessed, DateTime CreatedAt, Guid RunId, DateTime ArchivedAt, string Json)>("""
            SELECT content, crs_score, outcome_score, frequency_score, tags, access_count, last_accessed, created_at, archive_run_id, archived_at, row_data->>'content'
            FROM memory_items_archive WHERE memory_id = @memory
            """, new { memory });
        Assert.Equal(("Old scratch note", 0.7, 0.1, 0.2, "tmp", 1), (row.Content, row.Crs, row.Outcome, row.Frequency, row.Tags.Single(), row.AccessCount));
        Assert.Equal((Now - Days(40)).UtcDateTime, row.LastAccessed);
        Assert.Equal((Now - Days(45)).UtcDateTime, row.CreatedAt);
        Assert.Equal((result.RunId, Now.UtcDateTime, "Old scratch note"), (row.RunId, row.ArchivedAt, row.Json));
        Assert.Equal(outcomes, await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT outcome_id FROM outcomes_archive WHERE memory_id = @memory AND archive_reason = 'cleanup'", new { memory }));
    }

    [Fact]
    public async Task A_second_run_right_after_the_first_changes_nothing()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await MemoryAsync(user, Days(31));
        await MemoryAsync(user, Days(5));
        var first = await RunAsync();

        var second = await RunAsync();

        Assert.Equal(1, first.AffectedCount);
        Assert.Equal(0, second.AffectedCount);
        Assert.Equal(0L, second.Details["deleted"]);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
    }

    [Fact]
    public async Task A_dry_run_reports_counts_per_user_and_changes_nothing()
    {
        var alice = await Seed.UserAsync(Db.DataSource);
        var bob = await Seed.UserAsync(Db.DataSource);
        await MemoryAsync(alice, Days(40));
        await MemoryAsync(alice, Days(50));
        await MemoryAsync(bob, Days(60));
        await MemoryAsync(bob, Days(2));

        var result = await RunAsync(dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(3, result.AffectedCount);
        Assert.Equal(3L, result.Details["would_delete"]);
        var perUser = ((List<Dictionary<string, object>>)result.Details["per_user"]!).ToDictionary(u => (Guid)u["user_id"], u => (long)u["count"]);
        Assert.Equal(new Dictionary<Guid, long> { [alice] = 2, [bob] = 1 }, perUser);
        Assert.Equal(4L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
    }

    [Fact]
    public async Task Tier_age_idle_days_and_thresholds_are_options()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var mid = await MemoryAsync(user, Days(11), outcome: 0.6, frequency: 0.1, tier: "MID");
        var short1 = await MemoryAsync(user, Days(11), outcome: 0.1, frequency: 0.1);
        var tooYoung = await MemoryAsync(user, Days(9), outcome: 0.1, frequency: 0.1, tier: "MID");

        var result = await RunAsync(new Dictionary<string, string?>
        {
            ["Jobs:Cleanup:Tier"] = "MID",
            ["Jobs:Cleanup:AgeDays"] = "10",
            ["Jobs:Cleanup:IdleDays"] = "10",
            ["Jobs:Cleanup:OutcomeScoreBelow"] = "0.7",
            ["Jobs:Cleanup:FrequencyScoreBelow"] = "0.2",
        });

        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(new HashSet<Guid> { short1, tooYoung }, await LiveAsync());
        Assert.Equal([mid], await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items_archive"));
    }

    [Fact]
    public async Task Archive_rows_past_the_retention_are_purged_in_batches_by_a_later_run()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 5; i++)
        {
            await ArchiveSeed.OutcomeAsync(Db.DataSource, await MemoryAsync(user, Days(40)));
        }

        await RunAsync();
        _time.Advance(Days(29));
        await MemoryAsync(user, Days(40));
        var early = await RunAsync(new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "2" });
        _time.Advance(Days(2));
        var late = await RunAsync(new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "2" });

        Assert.Equal(0L, early.Details["archive_rows_purged"]);
        Assert.Equal(5L, late.Details["archive_rows_purged"]);
        Assert.Equal(5L, late.Details["outcome_archive_rows_purged"]);
        Assert.Equal(0, late.AffectedCount);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM outcomes_archive"));

        _time.Advance(Days(365));
        var keepForever = await RunAsync(new Dictionary<string, string?> { ["Jobs:Cleanup:ArchiveRetentionDays"] = "0" });
        Assert.Equal(0L, keepForever.Details["archive_rows_purged"]);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
    }

    [Fact]
    public async Task A_run_killed_between_batches_loses_nothing_and_the_next_run_finishes_exactly_once()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO memory_items (memory_id, user_id, content, content_hash, outcome_score, frequency_score, created_at)
                SELECT gen_random_uuid(), @user, 'm' || i, md5('m' || i), 0.1, 0.1, @Created FROM generate_series(1, 3000) AS i;
                INSERT INTO outcomes (outcome_id, memory_id, outcome_type) SELECT gen_random_uuid(), memory_id, 'used' FROM memory_items;
                """, new { user, Created = (Now - Days(60)).UtcDateTime });
        }

        var original = await LiveAsync();
        JobRunResult killed;
        await using (var services = TestHost.Build(Db, _time, new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "1" }))
        {
            await using var kill = KillSwitch.When(Db.DataSource, "SELECT count(*) FROM memory_items_archive");
            killed = await services.GetRequiredService<JobRunner>().RunAsync("cleanup", JobTrigger.Cli, dryRun: false, kill.Token);
        }

        Assert.Equal(JobRunStatus.Failed, killed.Status);
        Assert.InRange(killed.AffectedCount, 1, 2999);
        var live = await LiveAsync();
        var archived = await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items_archive");
        Assert.Empty(live.Intersect(archived));
        Assert.Equal(original, live.Union(archived).ToHashSet());
        Assert.Equal(killed.AffectedCount, archived.Count);
        Assert.Equal(3000L, await CountAsync("SELECT (SELECT count(*) FROM outcomes) + (SELECT count(*) FROM outcomes_archive)"));

        var finish = await RunAsync();

        Assert.Equal(3000, killed.AffectedCount + finish.AffectedCount);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(3000L, await CountAsync("SELECT count(DISTINCT memory_id) FROM memory_items_archive"));
        Assert.Equal(3000L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
        Assert.Equal(3000L, await CountAsync("SELECT count(*) FROM outcomes_archive"));
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_over_stops_before_its_next_batch_and_keeps_what_it_committed()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO memory_items (memory_id, user_id, content, content_hash, outcome_score, frequency_score, created_at)
                SELECT gen_random_uuid(), @user, 'm' || i, md5('m' || i), 0.1, 0.1, @Created FROM generate_series(1, 3000) AS i;
                INSERT INTO outcomes (outcome_id, memory_id, outcome_type) SELECT gen_random_uuid(), memory_id, 'used' FROM memory_items;
                """, new { user, Created = (Now - Days(60)).UtcDateTime });
        }

        JobRunResult lost;
        LeaseThief.Takeover taken;
        await using (var services = TestHost.Build(Db, _time, new Dictionary<string, string?> { ["Jobs:Cleanup:BatchSize"] = "1" }))
        {
            (lost, taken) = await LeaseThief.RunUntilTakenAsync(services, Db.DataSource, "cleanup");
        }

        Assert.Equal((JobRunStatus.Failed, lost.RunId), (lost.Status, taken.RunId));
        Assert.StartsWith("lease lost", lost.Error);
        Assert.Equal(taken.BatchesCommitted, await BatchRecords.AssertMatchLedgerAsync(Db.DataSource, lost.RunId));
        var archived = await CountAsync("SELECT count(*) FROM memory_items_archive");
        Assert.Equal(lost.AffectedCount, archived);
        Assert.InRange(archived, 1, 2999);
        Assert.Equal(3000L - archived, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(archived, await CountAsync("SELECT count(*) FROM outcomes_archive"));

        var finish = await RunAsync();

        Assert.Equal(JobRunStatus.Succeeded, finish.Status);
        Assert.True(await BatchRecords.AssertMatchLedgerAsync(Db.DataSource, finish.RunId) > 0);
        Assert.Equal(3000, lost.AffectedCount + finish.AffectedCount);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(3000L, await CountAsync("SELECT count(DISTINCT memory_id) FROM memory_items_archive"));
    }
}
