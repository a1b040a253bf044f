using Acms.Domain.Jobs;
using Acms.Domain.Reports;
using Acms.EndToEnd.Infrastructure;
using Acms.Tests.Infrastructure;
using Dapper;
using Xunit.Abstractions;

namespace Acms.EndToEnd.Access;

/// <summary>
/// The app on the real host with App Service authentication "on" as the platform announces it (<c>WEBSITE_AUTH_ENABLED=True</c>).
/// The kit host has no Easy Auth, so the tests send <c>X-MS-CLIENT-PRINCIPAL</c> themselves, as the platform would after
/// signing someone in. Two users (A asks CONFIDENTIAL questions about a marker subject, B INTERNAL ones) and the org
/// outputs are produced by the jobs themselves, over HTTP with the function key. Timers are a year apart.
/// </summary>
public sealed class AccessHost(IMessageSink sink) : FunctionsHost(sink), IAsyncLifetime
{
    public const string YearlySchedule = "0 0 0 1 1 *";

    public static readonly string[] AMarkers = ["zanzibar", "quokka"];

    public Guid UserA { get; private set; }

    public Guid UserB { get; private set; }

    public Dictionary<string, Guid> Reports { get; } = [];

    public Guid LedgerRunId { get; private set; }

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["WEBSITE_AUTH_ENABLED"] = "True";
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            settings[job.ScheduleSetting] = YearlySchedule;
        }
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (SkipReason is not null)
        {
            return;
        }

        var db = Database.DataSource;
        UserA = await Seed.UserAsync(db, "user-a");
        UserB = await Seed.UserAsync(db, "user-b");
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE users SET email = username || '@example.org'");
        }

        var now = DateTimeOffset.UtcNow;
        var week = ReportPeriods.PreviousIsoWeek(now.UtcDateTime);
        foreach (var at in new[] { new DateTimeOffset(week.Start.AddDays(2), TimeSpan.Zero), now.AddDays(-1) })
        {
            for (var i = 0; i < 6; i++)
            {
                await QaSeed.QueryAsync(db, UserA, at.AddMinutes(i), "How do I feed the zanzibar quokka colony?", "Leaves, twice a day.", privacy: "CONFIDENTIAL");
                await QaSeed.QueryAsync(db, UserB, at.AddMinutes(i), $"How do I tune postgres vacuum settings for table {i}?", "Lower autovacuum_vacuum_scale_factor.");
            }
        }

        foreach (var job in new[] { JobDefinitions.TopicExtraction, JobDefinitions.InsightGeneration, JobDefinitions.WeeklyReport })
        {
            var answer = await Client.PostAnswerAsync($"api/v2/jobs/{job.Name}/run");
            if (answer.Status != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Seeding: {job.Name} answered {answer}");
            }

            LedgerRunId = answer.Data.GetProperty("run_id").GetGuid();
        }

        foreach (var (scope, userId, id) in await QaSeed.QueryListAsync<(string, Guid?, Guid)>(db, "SELECT scope, user_id, id FROM intelligence_reports"))
        {
            Reports[scope == "org" ? "org" : userId == UserA ? "a" : "b"] = id;
        }
    }
}

/// <summary>The access tests' own host (sign-in on), apart from the other collections' hosts.</summary>
[CollectionDefinition(Name)]
public sealed class AccessHostCollection : ICollectionFixture<AccessHost>
{
    public const string Name = "Access host";
}
