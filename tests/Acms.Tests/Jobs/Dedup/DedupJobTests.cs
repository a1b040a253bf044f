using Acms.Domain.Jobs;
using Acms.Domain.Demo;
using Acms.Domain.Jobs.Dedup;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.Dedup;

public sealed partial class DedupJobTests : DatabaseTest
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
}
