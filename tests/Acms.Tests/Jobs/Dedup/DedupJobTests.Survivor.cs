using Acms.Domain.Jobs.Dedup;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.Dedup;

// Which row survives a merge, what it gains, and what is archived.
public sealed partial class DedupJobTests
{
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
}
