using Acms.Domain.Jobs;
using Acms.Domain.Demo;
using Acms.Domain.Jobs.Dedup;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.Dedup;

public sealed class DedupJobTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;

    // ~190 characters: one swapped letter pair changes a handful of its ~185 3-grams (Jaccard ≈ 0.97).
    private const string Long =
        "Remember that the quarterly infrastructure review moved to Thursday afternoon, that the staging database " +
        "needs its certificates rotated before then, and that Maria owns the capacity planning spreadsheet.";

    private readonly FakeTimeProvider _time = new(Now);

    private async Task<JobRunResult> RunAsync(IDictionary<string, string?>? settings = null, bool dryRun = false)
    {
        await using var services = TestHost.Build(Db, _time, settings);
        return await services.GetRequiredService<JobRunner>().RunAsync("dedup", JobTrigger.Cli, dryRun, CancellationToken.None);
    }

    private Task<Guid> MemoryAsync(Guid user, string content, double score = 0.5, DateTimeOffset? created = null, string tier = "SHORT",
        string privacy = "INTERNAL", string[]? tags = null, int accessCount = 0, DateTimeOffset? lastAccessed = null, double? outcome = null, double? frequency = null) =>
        Seed.MemoryAsync(Db.DataSource, user, created ?? Now.AddDays(-3), lastAccessed, score, outcome, frequency, tier, privacy, content,
            tags: tags, accessCount: accessCount);

    private Task<long> CountAsync(string sql, object? args = null) => ArchiveSeed.CountAsync(Db.DataSource, sql, args);

    [Fact]
    public async Task Two_users_with_the_same_content_both_keep_it()
    {
        var alice = await Seed.UserAsync(Db.DataSource);
        var bob = await Seed.UserAsync(Db.DataSource);
        var hers = await MemoryAsync(alice, "My bank PIN hint is the dog's birthday", privacy: "LOCAL_ONLY");
        var his = await MemoryAsync(bob, "My bank PIN hint is the dog's birthday", score: 0.9);
        var hisVariant = await MemoryAsync(bob, "my bank pin hint is the dog's birthday.", score: 0.1);

        var result = await RunAsync();

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(1L, result.Details["groups_found"]);
        Assert.Equal(2L, result.Details["users_scanned"]);
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, hers));
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, his));
        Assert.False(await ArchiveSeed.ExistsAsync(Db.DataSource, hisVariant));
        Assert.Equal("LOCAL_ONLY", (await ArchiveSeed.MemoryAsync(Db.DataSource, hers)).Privacy);
        Assert.Equal("INTERNAL", (await ArchiveSeed.MemoryAsync(Db.DataSource, his)).Privacy);
    }

    [Fact]
    public async Task Case_whitespace_full_width_and_trailing_punctuation_variants_merge_even_without_the_similarity_pass()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var original = await MemoryAsync(user, "Buy oat milk tomorrow", score: 0.9);
        string[] variants = ["buy OAT milk TOMORROW", "  Buy   oat\tmilk\ntomorrow ", "Ｂｕｙ ｏａｔ milk tomorrow", "Buy oat milk tomorrow!", "Buy oat milk tomorrow.", "Buy oat milk tomorrow ?!"];
        foreach (var variant in variants)
        {
            await MemoryAsync(user, variant, score: 0.5);
        }

        var different = await MemoryAsync(user, "Buy oat milk today");

        var result = await RunAsync(new Dictionary<string, string?> { ["Jobs:Dedup:SimilarityEnabled"] = "false" });

        Assert.Equal(variants.Length, result.AffectedCount);
        Assert.Equal(1.0, result.Details["similarity_threshold"]);
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, original));
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, different));
    }

    [Fact]
    public async Task A_typo_variant_merges_a_reworded_one_does_not_and_threshold_one_merges_only_equal_texts()
    {
        var typo = NearDuplicateText.Variant(Long, 4);
        var rewritten = Long.Replace("Thursday afternoon", "Friday morning", StringComparison.Ordinal).Replace("Maria", "Joanna", StringComparison.Ordinal);
        Assert.True(SameMeaningRule.Compare(Long, typo).Merge);
        Assert.False(SameMeaningRule.Compare(Long, rewritten).Merge);

        var user = await Seed.UserAsync(Db.DataSource);
        var kept = await MemoryAsync(user, Long, score: 0.8);
        var near = await MemoryAsync(user, typo, score: 0.2);
        var below = await MemoryAsync(user, rewritten, score: 0.2);

        var result = await RunAsync();

        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(0.95, result.Details["similarity_threshold"]);
        Assert.Equal("same_meaning", result.Details["merge_rule"]);
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, kept));
        Assert.False(await ArchiveSeed.ExistsAsync(Db.DataSource, near));
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, below));

        var exactOnly = await PostgresServer.CreateDatabaseAsync();
        await using (exactOnly)
        {
            var other = await Seed.UserAsync(exactOnly.DataSource);
            await Seed.MemoryAsync(exactOnly.DataSource, other, Now.AddDays(-1), content: Long);
            await Seed.MemoryAsync(exactOnly.DataSource, other, Now.AddDays(-1), content: typo);
            await using var services = TestHost.Build(exactOnly, _time, new Dictionary<string, string?> { ["Jobs:Dedup:SimilarityThreshold"] = "1.0" });
            var strict = await services.GetRequiredService<JobRunner>().RunAsync("dedup", JobTrigger.Cli, false, CancellationToken.None);
            Assert.Equal(0, strict.AffectedCount);
        }
    }

    [Fact]
    public async Task The_survivor_is_the_highest_crs_then_outcome_plus_frequency_then_the_oldest_then_the_lowest_id()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var byCrs = await MemoryAsync(user, "alpha note", score: 0.9, outcome: 0, frequency: 0, created: Now.AddDays(-1));
        await MemoryAsync(user, "ALPHA note", score: 0.8, outcome: 1, frequency: 1, created: Now.AddDays(-9));

        var bySum = await MemoryAsync(user, "beta note", score: 0.5, outcome: 0.6, frequency: 0.3, created: Now.AddDays(-1));
        await MemoryAsync(user, "BETA note", score: 0.5, outcome: 0.1, frequency: 0.7, created: Now.AddDays(-9));

        await MemoryAsync(user, "gamma note", score: 0.5, outcome: 0.5, frequency: 0.5, created: Now.AddDays(-1));
        var byAge = await MemoryAsync(user, "GAMMA note", score: 0.5, outcome: 0.5, frequency: 0.5, created: Now.AddDays(-2));

        var ties = new List<Guid>();
        foreach (var text in new[] { "delta note", "DELTA note", "Delta Note" })
        {
            ties.Add(await MemoryAsync(user, text, score: 0.5, outcome: 0.5, frequency: 0.5, created: Now.AddDays(-1)));
        }

        var result = await RunAsync();

        Assert.Equal(5, result.AffectedCount);
        var remaining = await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items");
        var lowestTie = ties.Order(GuidOrder.Instance).First();
        Assert.Equal(new HashSet<Guid> { byCrs, bySum, byAge, lowestTie }, remaining);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(lowestTie, await connection.ExecuteScalarAsync<Guid>("SELECT id FROM unnest(@ties) AS t(id) ORDER BY id LIMIT 1", new { ties = ties.ToArray() }));
    }

    [Fact]
    public async Task A_confidential_and_a_local_only_duplicate_make_the_survivor_local_only()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await MemoryAsync(user, "Salary negotiation notes", score: 0.9, privacy: "CONFIDENTIAL");
        await MemoryAsync(user, "salary negotiation notes", score: 0.1, privacy: "LOCAL_ONLY");
        var publicOne = await MemoryAsync(user, "Team lunch is on Friday", score: 0.9, privacy: "PUBLIC");
        await MemoryAsync(user, "team lunch is on friday!", score: 0.1, privacy: "INTERNAL");

        await RunAsync();

        Assert.Equal("LOCAL_ONLY", (await ArchiveSeed.MemoryAsync(Db.DataSource, survivor)).Privacy);
        Assert.Equal("INTERNAL", (await ArchiveSeed.MemoryAsync(Db.DataSource, publicOne)).Privacy);
    }

    [Fact]
    public async Task The_survivor_gains_the_tag_union_the_highest_tier_the_summed_access_count_and_the_latest_access()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await MemoryAsync(user, "Deploy window is 22:00", score: 0.9, tier: "SHORT", tags: ["ops", "deploy"], accessCount: 3, lastAccessed: Now.AddDays(-5));
        await MemoryAsync(user, "deploy window is 22:00.", score: 0.2, tier: "LONG", tags: ["deploy", "calendar"], accessCount: 4, lastAccessed: Now.AddDays(-1));
        await MemoryAsync(user, "DEPLOY WINDOW IS 22:00", score: 0.1, tier: "MID", tags: [], accessCount: 5);

        var result = await RunAsync();

        Assert.Equal(2, result.AffectedCount);
        var row = await ArchiveSeed.MemoryAsync(Db.DataSource, survivor);
        Assert.Equal("LONG", row.Tier);
        Assert.Equal(["calendar", "deploy", "ops"], row.Tags);
        Assert.Equal(12, row.AccessCount);
        Assert.Equal(Now.AddDays(-1).UtcDateTime, row.LastAccessed);
        Assert.Equal("Deploy window is 22:00", row.Content);
    }

    [Fact]
    public async Task Outcomes_of_merged_duplicates_follow_the_survivor_and_are_archived_as_they_were()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await MemoryAsync(user, "Use the blue VPN profile", score: 0.9);
        var duplicate = await MemoryAsync(user, "use the blue vpn profile", score: 0.3);
        await ArchiveSeed.OutcomeAsync(Db.DataSource, survivor);
        var moved = new[] { await ArchiveSeed.OutcomeAsync(Db.DataSource, duplicate), await ArchiveSeed.OutcomeAsync(Db.DataSource, duplicate, "corrected", -1) };

        var result = await RunAsync();

        Assert.Equal(2L, result.Details["outcomes_moved"]);
        Assert.Equal(3L, await CountAsync("SELECT count(*) FROM outcomes WHERE memory_id = @survivor", new { survivor }));
        Assert.Equal(3L, await CountAsync("SELECT count(*) FROM outcomes"));
        Assert.Equal(moved.ToHashSet(), await ArchiveSeed.IdsAsync(Db.DataSource,
            "SELECT outcome_id FROM outcomes_archive WHERE memory_id = @duplicate AND merged_into = @survivor AND archive_reason = 'dedup' AND row_data->>'memory_id' = @duplicate::text",
            new { duplicate, survivor }));
    }

    [Fact]
    public async Task Merged_away_rows_are_archived_whole_including_columns_the_service_does_not_know()
    {
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("ALTER TABLE memory_items ADD COLUMN acms_future_column TEXT");
        }

        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await MemoryAsync(user, "Parking is level B2", score: 0.9);
        var duplicate = await MemoryAsync(user, "parking is level b2", score: 0.3, tier: "MID", tags: ["car"], accessCount: 2);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE memory_items SET acms_future_column = 'kept ' || memory_id::text");
        }

        var result = await RunAsync();

        await using var check = await Db.DataSource.OpenConnectionAsync();
        var archived = await check.QuerySingleAsync<(string Content, string Tier, string[] Tags, int AccessCount, Guid MergedInto, Guid RunId, string Reason, DateTime ArchivedAt, string? Future)>("""
            SELECT content, tier, tags, access_count, merged_into, archive_run_id, archive_reason, archived_at, row_data->>'acms_future_column'
            FROM memory_items_archive WHERE memory_id = @duplicate
            """, new { duplicate });
        Assert.Equal(("parking is level b2", "MID", "car", 2, survivor, result.RunId, "dedup"), (archived.Content, archived.Tier, archived.Tags.Single(), archived.AccessCount, archived.MergedInto, archived.RunId, archived.Reason));
        Assert.Equal(Now.UtcDateTime, archived.ArchivedAt);
        Assert.Equal($"kept {duplicate}", archived.Future);
        Assert.Equal($"kept {survivor}", await check.ExecuteScalarAsync<string>("SELECT acms_future_column FROM memory_items WHERE memory_id = @survivor", new { survivor }));
    }

    [Fact]
    public async Task A_second_run_right_after_the_first_changes_nothing()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await MemoryAsync(user, "Call the plumber", score: 0.9);
        await MemoryAsync(user, "call the plumber!", score: 0.4);
        await MemoryAsync(user, Long);
        await MemoryAsync(user, NearDuplicateText.Variant(Long, 4));
        var first = await RunAsync();
        var before = await CountAsync("SELECT count(*) FROM memory_items");

        var second = await RunAsync();

        Assert.Equal(2, first.AffectedCount);
        Assert.Equal(0, second.AffectedCount);
        Assert.Equal(0L, second.Details["groups_found"]);
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
    }

    [Fact]
    public async Task A_dry_run_lists_the_groups_it_would_merge_and_changes_nothing()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await MemoryAsync(user, "Water the plants", score: 0.9);
        var duplicate = await MemoryAsync(user, "water the plants.", score: 0.1);
        await MemoryAsync(user, "Something else entirely");

        var result = await RunAsync(dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(1, result.AffectedCount);
        Assert.Equal(1L, result.Details["would_merge"]);
        var group = Assert.Single((List<Dictionary<string, object>>)result.Details["groups"]!);
        Assert.Equal(user, group["user_id"]);
        Assert.Equal(survivor, group["survivor_id"]);
        Assert.Equal([duplicate], (Guid[])group["duplicate_ids"]);
        Assert.Equal(3L, await CountAsync("SELECT count(*) FROM memory_items"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM memory_items_archive"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM memory_items WHERE updated_at <> created_at"));
    }

    [Fact]
    public async Task Groups_are_merged_a_batch_of_groups_per_transaction()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 5; i++)
        {
            await MemoryAsync(user, $"Item number {i}", score: 0.9);
            await MemoryAsync(user, $"item number {i}.", score: 0.1);
            await MemoryAsync(user, $"ITEM NUMBER {i}", score: 0.1);
        }

        var result = await RunAsync(new Dictionary<string, string?> { ["Jobs:Dedup:BatchSize"] = "2", ["Jobs:Dedup:UsersPerScan"] = "1" });

        Assert.Equal(10, result.AffectedCount);
        Assert.Equal(3, result.Details["batches"]);
        Assert.Equal(5L, result.Details["groups_merged"]);
        Assert.Equal(5L, await CountAsync("SELECT count(*) FROM memory_items"));
    }

    [Fact]
    public async Task Users_are_scanned_in_batches_and_each_keeps_its_own_rows()
    {
        var users = new List<Guid>();
        for (var u = 0; u < 7; u++)
        {
            var user = await Seed.UserAsync(Db.DataSource);
            users.Add(user);
            await MemoryAsync(user, "Shared sentence", score: 0.9);
            await MemoryAsync(user, "shared sentence!", score: 0.1);
        }

        var result = await RunAsync(new Dictionary<string, string?> { ["Jobs:Dedup:UsersPerScan"] = "3" });

        Assert.Equal(7, result.AffectedCount);
        Assert.Equal(7L, result.Details["users_scanned"]);
        Assert.Equal(users.ToHashSet(), await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT user_id FROM memory_items"));
        Assert.Equal(7L, await CountAsync("SELECT count(*) FROM memory_items WHERE content = 'Shared sentence'"));
    }
}
