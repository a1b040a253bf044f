using System.ComponentModel;
using System.Globalization;
using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class JobsRunsCommand : AsyncCommand<JobsRunsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--job <JOB>")]
        [Description("Only this job's runs.")]
        public string? Job { get; init; }

        [CommandOption("--limit <N>")]
        [Description("How many runs (1-500, default 20).")]
        [DefaultValue(20)]
        public int Limit { get; init; } = 20;

        [CommandOption("--status <STATUS>")]
        [Description("Only runs with this status: running, succeeded, failed, skipped or abandoned.")]
        public string? Status { get; init; }

        [CommandOption("--trigger <TRIGGER>")]
        [Description("Only runs started by this trigger: timer, http or cli.")]
        public string? Trigger { get; init; }

        [CommandOption("--json")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Limit is < 1 or > JobRunQueries.MaxLimit ? ValidationResult.Error($"--limit must be from 1 to {JobRunQueries.MaxLimit}.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        if (settings.Job is not null && !app.Get<JobCatalog>().TryGet(settings.Job, out _))
        {
            await Console.Error.WriteLineAsync($"Unknown job '{settings.Job}'. Known jobs: {string.Join(", ", app.Get<JobCatalog>().Names)}.");
            return JobsRunCommand.UsageError;
        }

        IReadOnlyList<JobRunSummary> runs = [];
        var exit = await DomainErrors.ReportAsync(async () => runs = await app.Get<JobRunQueries>().ListRunsAsync(
            new JobRunFilter(settings.Job, settings.Status, settings.Trigger, settings.Limit), cancellationToken));
        if (exit != 0)
        {
            return exit;
        }

        if (settings.Json)
        {
            await Console.Out.WriteLineAsync(Json.Serialize(runs, indented: true));
            return 0;
        }

        var table = new Table().AddColumns("started (UTC)", "job", "trigger", "status", "affected", "ms", "run id", "error");
        foreach (var run in runs)
        {
            table.AddRow(
                run.StartedAt.ToString("u"), run.Job, run.Trigger, run.Status + (run.DryRun ? " (dry)" : ""),
                run.AffectedCount.ToString(CultureInfo.InvariantCulture),
                run.ExecutionTimeMs?.ToString("0.#", CultureInfo.InvariantCulture) ?? "-",
                run.RunId.ToString(), Markup.Escape(run.Error ?? ""));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
