using Acms.Domain.Runs;
using Acms.Domain.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class SchedulerCommand : AsyncCommand
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken);
        var status = await app.Get<JobRunQueries>().StatusAsync(cancellationToken);
        AnsiConsole.MarkupLine($"Starting ACMS Job Scheduler with {status.Jobs.Count(j => j.Enabled)} jobs: " +
                               string.Join(", ", status.Jobs.Where(j => j.Enabled).Select(j => $"{j.Id} ({j.Schedule})")) + ". Ctrl+C stops it.");
        try
        {
            await app.Get<JobScheduler>().RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        AnsiConsole.MarkupLine("Scheduler stopped.");
        return 0;
    }
}
