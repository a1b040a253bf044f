using System.Globalization;
using Acms.Bench;
using Acms.Domain.Jobs;
using Acms.EndToEnd.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Acms.EndToEnd.Dashboard;

/// <summary>
/// The app on the real host over the benchmark's dataset, for timing the dashboard's pages at a size that matters. The
/// size is <c>ACMS_E2E_LOAD_MEMORIES</c> (1000000 for the README's figure; 20,000 by default, which keeps the suite
/// quick), with the benchmark's ratios of users and Q&amp;A. The dataset is moved forward in time so its newest day is
/// today, then topics, insights and a weekly report are made by the jobs themselves over HTTP, as in production.
/// </summary>
public sealed class LoadHost(IMessageSink sink) : FunctionsHost(sink), IAsyncLifetime
{
    public const string SizeVariable = "ACMS_E2E_LOAD_MEMORIES";

    /// <summary>Memories in the store; set from <see cref="SizeVariable"/>.</summary>
    public int Memories { get; } = Environment.GetEnvironmentVariable(SizeVariable) is { Length: > 0 } size
        ? int.Parse(size, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : 20_000;

    /// <summary>Whether the size was asked for: then the page-load target is enforced, not only recorded.</summary>
    public static bool Measuring => Environment.GetEnvironmentVariable(SizeVariable) is { Length: > 0 };

    public string Dataset { get; private set; } = "";

    protected override void Configure(IDictionary<string, string> settings)
    {
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            settings[job.ScheduleSetting] = DashboardHost.YearlySchedule;
        }
    }

    /// <summary>Re-implements <see cref="IAsyncLifetime"/>: the host starts first, then the store is built and the jobs run through it.</summary>
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (SkipReason is not null)
        {
            return;
        }

        var options = new BenchOptions { Memories = Memories, Users = Math.Max(50, Memories / 500), Queries = Memories / 5 };
        await using var unbounded = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        var summary = await Acms.Bench.Dataset.BuildAsync(unbounded, options, TextWriter.Null, CancellationToken.None);
        await MoveToTodayAsync(unbounded, DateTime.UtcNow - Acms.Bench.Dataset.Now);
        Dataset = string.Create(CultureInfo.InvariantCulture,
            $"{summary.Memories:N0} memories, {summary.Users:N0} users, {summary.QueryHistory:N0} Q&A (benchmark dataset, seed {options.Seed})");
        // A job over a million memories can outlast the suite's two-minute client: these calls wait as long as the run takes.
        using var patient = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        patient.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        foreach (var job in new[] { JobDefinitions.TopicExtraction, JobDefinitions.InsightGeneration, JobDefinitions.WeeklyReport })
        {
            var answer = await patient.PostAnswerAsync($"api/v2/jobs/{job.Name}/run");
            if (answer.Status != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Preparing the load store: {job.Name} answered {answer}");
            }
        }
    }

    /// <summary>Shifts every timestamp of the dataset's tables by one interval (set-based, a statement per table).</summary>
    private static async Task MoveToTodayAsync(NpgsqlDataSource db, TimeSpan shift)
    {
        await using var connection = await db.OpenConnectionAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'
              AND table_name IN ('users', 'memory_items', 'outcomes', 'query_history', 'query_logs')
            ORDER BY 1, 2
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var table in columns.GroupBy(c => c.Table))
        {
            var set = string.Join(", ", table.Select(c => $"\"{c.Column}\" = \"{c.Column}\" + @shift"));
            await using var update = new NpgsqlCommand($"UPDATE \"{table.Key}\" SET {set}", connection);
            update.Parameters.AddWithValue("shift", shift);
            await update.ExecuteNonQueryAsync();
        }

        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}

/// <summary>The page-load test's own host, over its own (larger) store.</summary>
[CollectionDefinition(Name)]
public sealed class LoadHostCollection : ICollectionFixture<LoadHost>
{
    public const string Name = "Dashboard load host";
}
