using Acms.Domain.Demo;
using Acms.Domain.Jobs;
using Acms.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Acms.EndToEnd.Dashboard;

/// <summary>
/// The app on the real host for the browser tests, over a seeded store: users, memories and eight weeks of Q&amp;A, with
/// topics, insights and reports produced by the jobs themselves (over HTTP) before the first test. Only cleanup's timer
/// ticks (every 10 s, for the pause test); the other timers are set a year apart so a manual run never races one.
/// </summary>
public sealed class DashboardHost(IMessageSink sink) : FunctionsHost(sink), IAsyncLifetime
{
    public const string YearlySchedule = "0 0 0 1 1 *";

    public IReadOnlyList<Guid> UserIds { get; private set; } = [];

    protected override void Configure(IDictionary<string, string> settings)
    {
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            settings[job.ScheduleSetting] = job.Name == JobDefinitions.Cleanup.Name ? TestSchedule : YearlySchedule;
        }
    }

    /// <summary>Re-implements <see cref="IAsyncLifetime"/>: the host starts first, then the store is seeded through it.</summary>
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (SkipReason is not null)
        {
            return;
        }

        var now = DateTime.UtcNow;
        var seeded = await MemorySeeder.SeedAsync(Database.DataSource, users: 6, memoriesPerUser: 150, now, seed: 7, CancellationToken.None);
        UserIds = seeded.UserIds;
        await QueryHistorySeeder.SeedAsync(Database.DataSource, seeded.UserIds, now, weeks: 8, perUserPerWeek: 25, seed: 7, CancellationToken.None);
        foreach (var job in new[] { JobDefinitions.TopicExtraction, JobDefinitions.InsightGeneration, JobDefinitions.WeeklyReport })
        {
            var answer = await Client.PostAnswerAsync($"api/v2/jobs/{job.Name}/run");
            if (answer.Status != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Seeding: {job.Name} answered {answer}");
            }
        }
    }
}

/// <summary>The browser tests' own host (one for the collection), apart from the API tests' host and its 10-second timers.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardHostCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "Dashboard host";
}
