using System.Globalization;
using Acms.Domain.Jobs;
using Acms.Domain.Runs;
using Spectre.Console;

namespace Acms.Cli.Commands;

/// <summary>
/// A live display of a run in a terminal: rows so far, batches and elapsed time, read from the run's ledger row (the
/// same progress the status API and the dashboard show), until the run ends.
/// </summary>
public static class RunProgressDisplay
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static Task<JobRunResult> ShowAsync(JobRunQueries queries, string job, Task<JobRunResult> run, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{job}: starting", autoStart: true, maxValue: 1);
                task.IsIndeterminate = true;
                while (await Task.WhenAny(run, Task.Delay(Interval, cancellationToken)) != run && !cancellationToken.IsCancellationRequested)
                {
                    var status = await queries.StatusAsync(cancellationToken);
                    if (status.Jobs.FirstOrDefault(j => j.Id == job)?.RunningRun is { } running)
                    {
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"{job}: {running.Progress.Rows:N0} rows in {running.Progress.Batches:N0} batches");
                    }
                }

                task.Value = 1;
                return await run;
            });
}
