using Acms.Domain.Demo;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.Dedup;

// Repeated and dry runs, and how a run batches its groups and users.
public sealed partial class DedupJobTests
{
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
