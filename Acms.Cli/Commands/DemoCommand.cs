using System.ComponentModel;
using System.Globalization;
using Acms.Domain.Demo;
using Acms.Domain.Jobs;
using Acms.Domain.Reports;
using Microsoft.Extensions.DependencyInjection;
using Dapper;
using Npgsql;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class DemoCommand : AsyncCommand<DemoCommand.Settings>
{
    public const string DemoDatabase = "acms_demo";

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--users <N>")]
        [DefaultValue(40)]
        public int Users { get; init; } = 40;

        [CommandOption("--memories-per-user <N>")]
        [DefaultValue(150)]
        public int MemoriesPerUser { get; init; } = 150;

        [CommandOption("--questions-per-user-per-week <N>")]
        [DefaultValue(12)]
        public int QuestionsPerUserPerWeek { get; init; } = 12;

        [CommandOption("--seed <N>")]
        [DefaultValue(42)]
        public int Seed { get; init; } = 42;

        public override ValidationResult Validate() =>
            Users is < 1 or > 10_000 || MemoriesPerUser is < 1 or > 10_000
                ? ValidationResult.Error("--users and --memories-per-user must be from 1 to 10000.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, DemoDatabase, recreateEmbeddedDatabase: true,
            logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        var db = app.Get<NpgsqlDataSource>();
        if (!app.IsEmbedded && await HasMemoriesAsync(db, cancellationToken))
        {
            await Console.Error.WriteLineAsync("The demo seeds data: it only runs on the embedded database or on an empty ACMS database (memory_items has rows here).");
            return 1;
        }

        var now = app.Get<TimeProvider>().GetUtcNow().UtcDateTime;
        SeededMemories seeded = null!;
        await AnsiConsole.Status().StartAsync("Seeding a realistic ACMS store…", async _ =>
            seeded = await MemorySeeder.SeedAsync(db, settings.Users, settings.MemoriesPerUser, now, settings.Seed, cancellationToken));
        AnsiConsole.MarkupLine($"Seeded [bold]{seeded.UserIds.Count}[/] users, [bold]{seeded.Memories:N0}[/] memories " +
                               $"({seeded.NearDuplicates:N0} near-duplicates, {seeded.StaleShortTerm:N0} stale SHORT-tier), {seeded.Outcomes:N0} outcomes.");

        long questions = 0;
        await AnsiConsole.Status().StartAsync("Seeding eight weeks of Q&A…", async _ =>
            questions = await QueryHistorySeeder.SeedAsync(db, seeded.UserIds, now, weeks: 8, perUserPerWeek: settings.QuestionsPerUserPerWeek, settings.Seed, cancellationToken));
        AnsiConsole.MarkupLine($"Seeded [bold]{questions:N0}[/] questions and answers over eight weeks, with a topic shift in the last two.");

        var provenance = await ProvenanceSeeder.SeedAsync(db, seeded.UserIds, now, settings.Seed, cancellationToken);
        AnsiConsole.MarkupLine($"Seeded [bold]{provenance.QueryLogs:N0}[/] retrieval logs (query_logs) and {provenance.QuotingQuestions:N0} answers quoting " +
                               $"{provenance.SensitiveMemories:N0} CONFIDENTIAL or LOCAL_ONLY memories, which no organisation output may show.");

        var catalog = app.Get<JobCatalog>();
        var jobs = JobDefinitions.InScheduleOrder.Where(d => catalog.TryGet(d.Name, out _)).ToList();
        var results = new List<JobRunResult>();
        JobRunResult? again = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                foreach (var job in jobs)
                {
                    var task = progress.AddTask(job.Name, maxValue: 1);
                    task.IsIndeterminate = true;
                    results.Add(await app.Get<JobRunner>().RunAsync(job.Name, JobTrigger.Cli, dryRun: false, cancellationToken));
                    if (job == JobDefinitions.Decay)
                    {
                        again = await app.Get<JobRunner>().RunAsync(job.Name, JobTrigger.Cli, dryRun: false, cancellationToken);
                    }

                    task.IsIndeterminate = false;
                    task.Value = 1;
                }
            });

        var table = new Table().AddColumns("job", "status", "affected", "ms", "details");
        foreach (var result in results)
        {
            var color = result.Status == JobRunStatus.Succeeded ? "green" : "red";
            table.AddRow(
                result.Job,
                $"[{color}]{result.Status.ToString().ToLowerInvariant()}[/]",
                result.AffectedCount.ToString("N0", CultureInfo.InvariantCulture),
                result.ExecutionTimeMs.ToString("0.#", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", ScalarDetails(result)) + (result.Error is null ? "" : $" {result.Error}")));
        }

        AnsiConsole.Write(table);
        if (again is not null)
        {
            AnsiConsole.MarkupLine($"Decay run again the same day: [bold]{again.AffectedCount}[/] affected (per day, not per run).");
        }

        await PrintOrgWeeklyReportAsync(app, cancellationToken);
        return results.All(r => r.Status == JobRunStatus.Succeeded) ? 0 : 1;
    }

    private static async Task PrintOrgWeeklyReportAsync(CliApp app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
        var stored = (await reports.ListAsync("org", null, 1, cancellationToken)).Data.Reports;
        if (stored.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No org report was stored.[/]");
            return;
        }

        var latest = stored[0];
        AnsiConsole.Write(new Rule($"Org weekly report {latest.PeriodStart:yyyy-MM-dd} – {latest.PeriodEnd:yyyy-MM-dd} (reports show {latest.Id} --format html)"));
        await Console.Out.WriteLineAsync(ReportService.Render(await reports.GetAsync(latest.Id, cancellationToken), ReportFormats.Markdown).Content);
    }

    /// <summary>The run's figures; lists (such as dedup's merged groups) stay in the ledger's result JSON.</summary>
    private static IEnumerable<string> ScalarDetails(JobRunResult result) =>
        result.Details
            .Select(d => (d.Key, Value: Acms.Domain.Common.Json.Serialize(d.Value)))
            .Where(d => !d.Value.StartsWith('[') && !d.Value.StartsWith('{'))
            .Select(d => $"{d.Key}={d.Value}");

    private static async Task<bool> HasMemoriesAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM memory_items)", cancellationToken: cancellationToken));
    }
}
