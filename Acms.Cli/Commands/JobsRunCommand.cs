using System.ComponentModel;
using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Runs;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class JobsRunCommand : AsyncCommand<JobsRunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<job>")]
        [Description("decay, dedup, cleanup, topic_extraction, insight_generation or weekly_report")]
        public string Job { get; init; } = "";

        [CommandOption("--dry-run")]
        [Description("Report what would change; change nothing.")]
        public bool DryRun { get; init; }

        [CommandOption("--json")]
        [Description("Print only the result JSON on stdout (logs stay on stderr).")]
        public bool Json { get; init; }
    }

    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int Skipped = 2;
    public const int UsageError = 64;

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // In a terminal the run shows live progress (logs would tear the display: warnings only); piped output stays plain.
        var live = !settings.Json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: settings.Json || live ? LogLevel.Warning : LogLevel.Information);
        if (!app.Get<JobCatalog>().TryGet(settings.Job, out _))
        {
            await Console.Error.WriteLineAsync($"Unknown job '{settings.Job}'. Known jobs: {string.Join(", ", app.Get<JobCatalog>().Names)}.");
            return UsageError;
        }

        var run = app.Get<JobRunner>().RunAsync(settings.Job, JobTrigger.Cli, settings.DryRun, cancellationToken);
        var result = live ? await RunProgressDisplay.ShowAsync(app.Get<JobRunQueries>(), settings.Job.ToLowerInvariant(), run, cancellationToken) : await run;
        if (settings.Json)
        {
            await Console.Out.WriteLineAsync(Json.Serialize(result, indented: true));
        }
        else
        {
            var color = result.Status switch { JobRunStatus.Succeeded => "green", JobRunStatus.Skipped => "yellow", _ => "red" };
            AnsiConsole.MarkupLine($"[{color}]{result.Job} {result.Status.ToString().ToLowerInvariant()}[/]{(result.DryRun ? " (dry run)" : "")}: " +
                                   $"{result.AffectedCount} affected in {result.ExecutionTimeMs} ms, run {result.RunId}");
            if (result.Error is { } error)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(error)}");
            }

            foreach (var (key, value) in result.Details)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(key)}: {Markup.Escape(Json.Serialize(value))}");
            }
        }

        return result.Status switch
        {
            JobRunStatus.Succeeded => Succeeded,
            JobRunStatus.Skipped => Skipped,
            _ => Failed,
        };
    }
}
