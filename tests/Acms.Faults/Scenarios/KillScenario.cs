using Npgsql;

namespace Acms.Faults.Scenarios;

/// <summary>
/// Scenario 1: <c>kill -9</c> of the process running the job, at start-up, at a random elapsed time and once a random
/// amount of work is committed; several kills per copy, then a normal run. A kill counts only when it lands on a live
/// process. End state = the clean run; live + archived = initial; nothing left running.
/// </summary>
public sealed class KillScenario : IScenario
{
    private const int KillsPerCopy = 5;

    public string Key => "kill";
    public string Title => "1. kill -9 of the job process, then a normal run";

    public async Task RunAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct)
    {
        var reference = run.References[job];
        var (startUp, midRun, exitedFirst, copies) = (0, 0, 0, 0);
        while (result.Injections < run.Options.Kills && copies < run.Options.Kills * 3)
        {
            var name = $"faults_kill_{job}";
            copies++;
            await using (var db = await run.CopyAsync(name, ct))
            {
                for (var k = 0; k < KillsPerCopy && result.Injections < run.Options.Kills; k++)
                {
                    using var process = JobProcess.Start(job, run.Server.ConnectionString(name), run.Settings);
                    await WaitForKillPointAsync(run, db, job, reference, process, result.Injections % 3, ct);
                    if (process.HasExited)
                    {
                        exitedFirst++;
                        break; // the run finished before its kill point: the work of this copy is done
                    }

                    var wasRunning = await EndState.ScalarAsync(db, Work.RunningSql, ct) > 0;
                    await process.KillAsync();
                    result.Injections++;
                    if (wasRunning)
                    {
                        midRun++;
                    }
                    else
                    {
                        startUp++;
                    }

                    await EndState.AgeLeaseAsync(db, job, ct);
                }

                using (var final = JobProcess.Start(job, run.Server.ConnectionString(name), run.Settings))
                {
                    await final.WaitAsync(ct);
                    if (final.ExitCode != 0)
                    {
                        result.Violations.Add($"the normal run after the kills exited with {final.ExitCode}");
                    }
                }

                await run.CheckAsync(db, job, result, ct);
            }

            await run.Server.DropAsync(name, ct);
        }

        result.Figures["kills before the run started"] = startUp;
        result.Figures["kills during the run"] = midRun;
        result.Figures["runs that finished before their kill point"] = exitedFirst;
        result.Figures["copies (each ends with a normal run + comparison)"] = copies;
        if (result.Injections < run.Options.Kills)
        {
            result.Violations.Add($"only {result.Injections} of {run.Options.Kills} kills landed on a live process");
        }
    }

    /// <summary>Kind 0: during start-up; 1: a random elapsed time within the clean run; 2: a random amount of committed work.</summary>
    private static async Task WaitForKillPointAsync(FaultRun run, NpgsqlDataSource db, string job, FaultRun.Reference reference, JobProcess process, int kind, CancellationToken ct)
    {
        switch (kind)
        {
            case 0:
                await DelayUnlessExitedAsync(process, reference.StartUp * run.Random.NextDouble(), ct);
                break;
            case 1:
                await DelayUnlessExitedAsync(process, reference.StartUp + (reference.Total - reference.StartUp) * run.Random.NextDouble(), ct);
                break;
            default:
                var done = await EndState.ScalarAsync(db, Work.CommittedSql(job), ct);
                var target = done + 1 + (long)(Math.Max(1, reference.Work) * run.Random.NextDouble() * 0.9);
                await FaultRun.WaitForAsync(db, Work.CommittedSql(job), target, () => process.HasExited, ct);
                break;
        }
    }

    private static async Task DelayUnlessExitedAsync(JobProcess process, TimeSpan delay, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(delay);
        try
        {
            await process.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The kill point came first.
        }
    }
}
