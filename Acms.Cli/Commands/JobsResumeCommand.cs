using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Pausing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class JobsResumeCommand : AsyncCommand<JobsResumeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<job>")]
        public string Job { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        if (!app.Get<JobCatalog>().TryGet(settings.Job, out _))
        {
            await Console.Error.WriteLineAsync($"Unknown job '{settings.Job}'. Known jobs: {string.Join(", ", app.Get<JobCatalog>().Names)}.");
            return JobsRunCommand.UsageError;
        }

        var state = await app.Get<JobPauses>().ResumeAsync(settings.Job, cancellationToken);
        AnsiConsole.MarkupLine($"[green]{state.Job} resumed[/]: its timer runs again.");
        return 0;
    }
}
