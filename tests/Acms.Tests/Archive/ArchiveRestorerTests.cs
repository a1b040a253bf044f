using Acms.Domain.Archive;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Archive;

public sealed class ArchiveRestorerTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private readonly FakeTimeProvider _time = new(Now);

    private async Task RunAsync(string job)
    {
        await using var services = TestHost.Build(Db, _time);
        var result = await services.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, CancellationToken.None);
        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(1, result.AffectedCount);
    }

    private async Task<RestoreResult> RestoreAsync(Guid memoryId)
    {
        await using var services = TestHost.Build(Db, _time);
        return await services.GetRequiredService<ArchiveRestorer>().RestoreAsync(memoryId);
    }

    private async Task<string> RowJsonAsync(Guid memoryId)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT to_jsonb(m)::text FROM memory_items m WHERE memory_id = @memoryId", new { memoryId }) ?? "(gone)";
    }

    [Fact]
    public async Task A_memory_deleted_by_cleanup_comes_back_whole_with_its_outcomes()
    {
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("ALTER TABLE memory_items ADD COLUMN acms_future_column INT NOT NULL DEFAULT 7");
        }

        var user = await Seed.UserAsync(Db.DataSource);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-50), score: 0.1, content: "Old draft", tags: ["a", "b"]);
        var outcomes = new HashSet<Guid> { await ArchiveSeed.OutcomeAsync(Db.DataSource, memory), await ArchiveSeed.OutcomeAsync(Db.DataSource, memory, "x", null) };
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE memory_items SET acms_future_column = 42, metadata_json = '{\"k\": [1, 2]}'");
        }

        var before = await RowJsonAsync(memory);
        await RunAsync("cleanup");
        Assert.Equal("(gone)", await RowJsonAsync(memory));

        var restored = await RestoreAsync(memory);

        Assert.Equal(RestoreStatus.Restored, restored.Status);
        Assert.Equal(2, restored.OutcomesRestored);
        Assert.Equal(before, await RowJsonAsync(memory));
        Assert.Equal(outcomes, await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT outcome_id FROM outcomes WHERE memory_id = @memory", new { memory }));
        Assert.Equal(RestoreStatus.NotArchived, (await RestoreAsync(memory)).Status);
    }

    [Fact]
    public async Task A_memory_merged_away_by_dedup_comes_back_with_the_outcomes_that_had_moved_to_the_survivor()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-2), score: 0.9, content: "Gate code 4411");
        var duplicate = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-2), score: 0.1, content: "gate code 4411.");
        await ArchiveSeed.OutcomeAsync(Db.DataSource, survivor);
        var itsOutcome = await ArchiveSeed.OutcomeAsync(Db.DataSource, duplicate);
        await RunAsync("dedup");

        var restored = await RestoreAsync(duplicate);

        Assert.Equal(RestoreStatus.Restored, restored.Status);
        Assert.Equal(survivor, restored.MergedInto);
        Assert.Equal([itsOutcome], await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT outcome_id FROM outcomes WHERE memory_id = @duplicate", new { duplicate }));
        Assert.Equal(1L, await ArchiveSeed.CountAsync(Db.DataSource, "SELECT count(*) FROM outcomes WHERE memory_id = @survivor", new { survivor }));
        Assert.Equal("gate code 4411.", (await ArchiveSeed.MemoryAsync(Db.DataSource, duplicate)).Content);
    }

    [Fact]
    public async Task Restoring_over_a_memory_with_the_same_content_reports_the_conflict_and_changes_nothing()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var memory = await Seed.MemoryAsync(Db.DataSource, user, Now.AddDays(-50), score: 0.1, content: "Remember the milk");
        await RunAsync("cleanup");
        var again = await Seed.MemoryAsync(Db.DataSource, user, Now, content: "Remember the milk");

        var restored = await RestoreAsync(memory);

        Assert.Equal(RestoreStatus.ContentConflict, restored.Status);
        Assert.Equal(again, restored.ConflictingMemoryId);
        Assert.False(await ArchiveSeed.ExistsAsync(Db.DataSource, memory));
        Assert.Equal(1L, await ArchiveSeed.CountAsync(Db.DataSource, "SELECT count(*) FROM memory_items_archive WHERE restored_at IS NULL"));
    }

    [Fact]
    public async Task Restoring_an_id_that_was_never_archived_reports_it()
    {
        var restored = await RestoreAsync(Guid.NewGuid());

        Assert.Equal(RestoreStatus.NotArchived, restored.Status);
    }
}
