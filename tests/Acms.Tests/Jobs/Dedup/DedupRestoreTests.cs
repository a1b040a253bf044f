using Acms.Domain.Archive;
using Acms.Domain.Jobs;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.Dedup;

public sealed class DedupRestoreTests : DatabaseTest
{
    private readonly FakeTimeProvider _time = new(TestHost.Epoch);

    private async Task<JobRunResult> DedupAsync()
    {
        await using var services = TestHost.Build(Db, _time);
        return await services.GetRequiredService<JobRunner>().RunAsync("dedup", JobTrigger.Cli, false, CancellationToken.None);
    }

    [Fact]
    public async Task A_restored_memory_is_not_merged_again_until_its_text_changes()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var survivor = await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-2), score: 0.9, content: "Wifi password is on the fridge");
        var duplicate = await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-2), score: 0.1, content: "wifi password is on the fridge!");
        Assert.Equal(1, (await DedupAsync()).AffectedCount);
        await using (var services = TestHost.Build(Db, _time))
        {
            Assert.Equal(RestoreStatus.Restored, (await services.GetRequiredService<ArchiveRestorer>().RestoreAsync(duplicate)).Status);
        }

        var again = await DedupAsync();

        Assert.Equal(0, again.AffectedCount);
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, duplicate));
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, survivor));

        // Once ACMS changes its text, the memory takes part again (here: it now says exactly what the survivor says).
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE memory_items SET content = 'WIFI PASSWORD IS ON THE FRIDGE', content_hash = md5('x') WHERE memory_id = @duplicate", new { duplicate });
        }

        var changed = await DedupAsync();

        Assert.Equal(1, changed.AffectedCount);
        Assert.False(await ArchiveSeed.ExistsAsync(Db.DataSource, duplicate));
        Assert.True(await ArchiveSeed.ExistsAsync(Db.DataSource, survivor));
    }

    [Fact]
    public async Task A_memory_restored_after_cleanup_is_not_merged_into_a_twin_either()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var old = await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-50), score: 0.1, content: "Renew the parking permit");
        await using (var services = TestHost.Build(Db, _time))
        {
            var cleanup = await services.GetRequiredService<JobRunner>().RunAsync("cleanup", JobTrigger.Cli, false, CancellationToken.None);
            Assert.Equal(1, cleanup.AffectedCount);
        }

        var twin = await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-1), score: 0.9, content: "renew the parking permit.");
        await using (var services = TestHost.Build(Db, _time))
        {
            Assert.Equal(RestoreStatus.Restored, (await services.GetRequiredService<ArchiveRestorer>().RestoreAsync(old)).Status);
        }

        var result = await DedupAsync();

        Assert.Equal(0, result.AffectedCount);
        Assert.Equal(new HashSet<Guid> { old, twin }, await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items"));
    }
}
