using System.ComponentModel;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Pausing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class JobsPauseCommand : AsyncCommand<JobsPauseCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<job>")]
        [Description("decay, dedup, cleanup, topic_extraction, insight_generation or weekly_report")]
        public string Job { get; init; } = "";

        [CommandOption("--reason <TEXT>")]
        [Description("Why (kept with who and when; shown by status and on each skipped run).")]
        public string? Reason { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        if (!app.Get<JobCatalog>().TryGet(settings.Job, out _))
        {
            await Console.Error.WriteLineAsync($"Unknown job '{settings.Job}'. Known jobs: {string.Join(", ", app.Get<JobCatalog>().Names)}.");
            return JobsRunCommand.UsageError;
        }

        JobPauseState state = null!;
        var exit = await DomainErrors.ReportAsync(async () => state = await app.Get<JobPauses>().PauseAsync(settings.Job, CliCaller.Name, settings.Reason, cancellationToken));
        if (exit == 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{state.Job} paused[/] by {Markup.Escape(state.Pause!.By)} since {state.Pause.At:u}: {Markup.Escape(state.Pause.Reason ?? "no reason given")}. " +
                                   "Timer and scheduler runs are skipped; manual runs still run.");
        }

        return exit;
    }
}
