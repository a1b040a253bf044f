using System.Diagnostics;
using Acms.Domain.Demo;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Acms.Tests.Demo;

public sealed class QueryHistorySeederTests(ITestOutputHelper output) : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;

    [Fact]
    public async Task Seeded_history_is_deterministic_and_shows_a_new_and_a_rising_topic_in_the_last_two_weeks()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            users.Add(await Seed.UserAsync(Db.DataSource));
        }

        var rows = await QueryHistorySeeder.SeedAsync(Db.DataSource, users, Now.UtcDateTime, weeks: 8, perUserPerWeek: 50, seed: 42, CancellationToken.None);
        Assert.Equal(12 * 8 * 50, rows);
        var fingerprint = await QaSeed.ScalarAsync<string>(Db.DataSource, "SELECT md5(string_agg(query_text || created_at::text, '|' ORDER BY query_id)) FROM query_history");
        Assert.Equal(0, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM query_history WHERE created_at >= @now", new { now = Now.UtcDateTime }));
        Assert.InRange(await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM query_history WHERE metadata->>'privacy_level' = 'CONFIDENTIAL'"), 50, 500);
        Assert.InRange(await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM query_history WHERE from_cache"), 1000, 2000);

        await using var services = TestHost.Build(Db, new FakeTimeProvider(Now));
        var runner = services.GetRequiredService<JobRunner>();
        var watch = Stopwatch.StartNew();
        var extraction = await runner.RunAsync("topic_extraction", JobTrigger.Cli, false, CancellationToken.None);
        watch.Stop();
        output.WriteLine($"informal: topic extraction of {rows} seeded rows took {watch.ElapsedMilliseconds} ms = {rows / watch.Elapsed.TotalSeconds:F0} rows/s on {Environment.ProcessorCount} cores (read {extraction.Details["read_ms"]} ms, analyse+extract {extraction.Details["extract_ms"]} ms, write {extraction.Details["write_ms"]} ms)");
        Assert.Equal(rows, extraction.AffectedCount);
        var insights = await runner.RunAsync("insight_generation", JobTrigger.Cli, false, CancellationToken.None);
        Assert.Equal(JobRunStatus.Succeeded, insights.Status);

        var orgInsights = await QaSeed.QueryListAsync<(string Type, string Key)>(Db.DataSource, "SELECT insight_type, insight_key FROM user_insights WHERE scope = 'org'");
        output.WriteLine(string.Join(", ", orgInsights.Select(i => $"{i.Type}:{i.Key}")));
        Assert.Contains(orgInsights, i => i.Type == "topic_shift");
        Assert.Contains(orgInsights, i => i.Type == "emerging_theme");
        Assert.Contains(orgInsights, i => i.Type == "knowledge_gap");
        Assert.True(await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM org_knowledge") > 0);

        // The same seed gives the same history in a fresh database.
        await using var again = await PostgresServer.CreateDatabaseAsync();
        foreach (var user in users)
        {
            await QaSeed.ScalarAsync<int>(again.DataSource, "INSERT INTO users (user_id, username) VALUES (@user, @name)", new { user, name = user.ToString() });
        }

        await QueryHistorySeeder.SeedAsync(again.DataSource, users, Now.UtcDateTime, 8, 50, 42, CancellationToken.None);
        Assert.Equal(fingerprint, await QaSeed.ScalarAsync<string>(again.DataSource, "SELECT md5(string_agg(query_text || created_at::text, '|' ORDER BY query_id)) FROM query_history"));
    }
}
