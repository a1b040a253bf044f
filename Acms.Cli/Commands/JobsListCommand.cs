using Acms.Domain.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class JobsListCommand : AsyncCommand
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken);
        var status = await app.Get<JobRunQueries>().StatusAsync(cancellationToken);
        var table = new Table().AddColumns("job", "schedule (UTC)", "setting", "enabled", "paused", "next run", "last run", "last status", "affected");
        foreach (var job in status.Jobs)
        {
            table.AddRow(
                job.Id,
                job.Schedule,
                job.ScheduleSetting,
                job.Enabled ? "yes" : "[yellow]no[/]",
                job.Pause is { } pause ? $"[yellow]{Markup.Escape($"by {pause.By}: {pause.Reason ?? "no reason given"}")}[/]" : "no",
                job.NextRun?.ToString("u") ?? "-",
                job.LastRun?.StartedAt.ToString("u") ?? "never",
                Markup.Escape(job.RunningRun is { } run ? $"running ({run.Progress.Rows} rows, {run.Progress.Batches} batches)" : job.Running ? "running" : job.LastRun?.Status ?? "-"),
                job.LastRun?.AffectedCount.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
