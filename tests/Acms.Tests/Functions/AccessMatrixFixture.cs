using Acms.Domain.Jobs;
using Acms.Functions.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Functions;

/// <summary>
/// Two users with their own data and the organisation's outputs, produced by the real jobs: user A asks CONFIDENTIAL
/// questions about a marker subject (so it appears in A's own insights and report but in no org output), user B asks
/// INTERNAL ones. Shared by the matrix (its cells only read, or re-generate the same reports in place).
/// </summary>
public sealed class AccessMatrixFixture : IAsyncLifetime
{
    // A Monday: the weekly report covers the week before.
    public static readonly DateTimeOffset Now = new(2026, 11, 9, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Words only user A's data holds; no answer to anyone else may contain them.</summary>
    public static readonly string[] AMarkers = ["zanzibar", "quokka"];

    private TestDatabase _db = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public Guid UserA { get; private set; }

    public Guid UserB { get; private set; }

    public Dictionary<string, Guid> Reports { get; } = [];

    public Guid RunId { get; private set; }

    public async Task InitializeAsync()
    {
        _db = await PostgresServer.CreateDatabaseAsync();
        Services = TestHost.Build(_db, new FakeTimeProvider(Now), configure: (services, _) => services.AddSingleton<JobTriggers>());
        UserA = await Seed.UserAsync(_db.DataSource, "user-a");
        UserB = await Seed.UserAsync(_db.DataSource, "user-b");
        for (var i = 0; i < 6; i++)
        {
            await QaSeed.QueryAsync(_db.DataSource, UserA, Now.AddDays(-3).AddHours(i), "How do I feed the zanzibar quokka colony?",
                "Leaves, twice a day.", privacy: "CONFIDENTIAL", costUsd: 0.02);
            await QaSeed.QueryAsync(_db.DataSource, UserB, Now.AddDays(-3).AddHours(i), $"How do I tune postgres vacuum settings for table {i}?",
                "Lower autovacuum_vacuum_scale_factor for large tables.", costUsd: 0.02);
        }

        var runner = Services.GetRequiredService<JobRunner>();
        foreach (var job in new[] { "topic_extraction", "insight_generation", "weekly_report" })
        {
            var result = await runner.RunAsync(job, JobTrigger.Cli, false, CancellationToken.None);
            Assert.Equal(JobRunStatus.Succeeded, result.Status);
            RunId = result.RunId;
        }

        foreach (var (scope, userId) in await QaSeed.QueryListAsync<(string, Guid?)>(_db.DataSource, "SELECT scope, user_id FROM intelligence_reports"))
        {
            var key = scope == "org" ? "org" : userId == UserA ? "a" : userId == UserB ? "b" : "other";
            Reports[key] = await QaSeed.ScalarAsync<Guid>(_db.DataSource,
                "SELECT id FROM intelligence_reports WHERE scope = @scope AND user_id IS NOT DISTINCT FROM @userId", new { scope, userId });
        }

        Assert.Equal(["a", "b", "org"], Reports.Keys.Order());
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await _db.DisposeAsync();
    }
}
