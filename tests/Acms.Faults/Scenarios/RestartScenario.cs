using Acms.Bench;
using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Faults.Scenarios;

/// <summary>
/// Scenario 2: the server goes away under a running job with work still to do — <c>pg_ctl restart -m fast</c>,
/// <c>-m immediate</c> (a crash), and a stop of <see cref="FaultOptions.Stop"/> before the start. Each run must ride
/// through and succeed with the clean run's end state. Then a stop longer than the retry budget: the run fails (it does
/// not hang or report success), and the next run completes with the clean end state.
/// </summary>
public sealed class RestartScenario : IScenario
{
    public string Key => "restart";
    public string Title => "2. PostgreSQL restart / crash / stop under a running job";

    public async Task RunAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct)
    {
        foreach (var injection in new[] { "fast", "immediate", "stop" })
        {
            var name = $"faults_restart_{job}";
            await using (var db = await run.CopyAsync(name, ct))
            {
                await using (var services = JobHost.Build(run.Server.ConnectionString(name), run.Settings))
                {
                    var running = services.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, ct);
                    var landed = await InjectAtStartAsync(run, db, running, injection, run.Options.Stop, ct);
                    var outcome = await running;
                    result.Injections += landed ? 1 : 0;
                    result.Figures[$"{injection}: status"] = landed ? outcome.Status.ToString().ToLowerInvariant() : "finished first";
                    if (outcome.Status != JobRunStatus.Succeeded)
                    {
                        result.Violations.Add($"{injection}: the run did not ride through: {outcome.Status} {outcome.Error}");
                    }
                }

                // The suite's own idle connections died with the server; the job's pool is left to cope by itself.
                db.Clear();
                await run.CheckAsync(db, job, result, ct);
            }

            await run.Server.DropAsync(name, ct);
        }

        await OverBudgetAsync(run, job, result, ct);
    }

    /// <summary>Injects once the run holds its lease (its ledger row is running), before it has finished its work.</summary>
    private static async Task<bool> InjectAtStartAsync(FaultRun run, NpgsqlDataSource db, Task<JobRunResult> running, string injection, TimeSpan down, CancellationToken ct)
    {
        if (!await FaultRun.WaitForAsync(db, Work.RunningSql, 1, () => running.IsCompleted, ct))
        {
            return false;
        }

        switch (injection)
        {
            case "stop":
                await run.Server.StopAsync("fast", ct);
                await Task.Delay(down, ct);
                await run.Server.StartAgainAsync(ct);
                break;
            default:
                await run.Server.RestartAsync(injection, ct);
                break;
        }

        return true;
    }

    private static async Task OverBudgetAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct)
    {
        var name = $"faults_restart_{job}";
        var budget = run.Options.Stop / 3;
        await using (var db = await run.CopyAsync(name, ct))
        {
            var settings = new Dictionary<string, string?>(run.Settings) { ["Database:RetryBudget"] = budget.ToString("c") };
            await using (var services = JobHost.Build(run.Server.ConnectionString(name), settings))
            {
                var running = services.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, ct);
                if (!await FaultRun.WaitForAsync(db, Work.RunningSql, 1, () => running.IsCompleted, ct))
                {
                    result.Figures["over budget: status"] = "finished first";
                }
                else
                {
                    result.Injections++;
                    await run.Server.StopAsync("fast", ct);
                    // The run must give up while the server is still down: the job's batch and then the ledger write each
                    // retry for one budget, plus a last backoff (at most 10 s) each.
                    var patience = budget * 3 + TimeSpan.FromSeconds(20);
                    var gaveUp = await Task.WhenAny(running, Task.Delay(patience, ct)) == running;
                    await run.Server.StartAgainAsync(ct);
                    string status;
                    try
                    {
                        var outcome = await running;
                        status = outcome.Status.ToString().ToLowerInvariant();
                        if (outcome.Status != JobRunStatus.Failed && gaveUp)
                        {
                            result.Violations.Add($"over budget: the run reported {status} while the server was down");
                        }
                    }
                    catch (Exception ex) when (Acms.Domain.Database.Transient.IsTransient(ex))
                    {
                        // A run that gave up must say so to its caller, not throw the driver's fault at it.
                        status = $"threw {Acms.Domain.Database.Transient.Describe(ex)}";
                        result.Violations.Add($"over budget: the run threw {Acms.Domain.Database.Transient.Describe(ex)} instead of reporting failed");
                    }

                    result.Figures["over budget: status"] = status;
                    result.Figures["over budget: gave up while down"] = gaveUp ? "yes" : "no";
                    if (!gaveUp)
                    {
                        result.Violations.Add($"over budget: the run was still retrying after {patience.TotalSeconds:F0} s with a budget of {budget.TotalSeconds:F1} s");
                    }
                }
            }

            // The next run: takes the lease over (the failed run's heartbeat aged past the timeout) and completes.
            db.Clear();
            await EndState.AgeLeaseAsync(db, job, ct);
            await using (var next = JobHost.Build(run.Server.ConnectionString(name), run.Settings))
            {
                var outcome = await next.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, ct);
                result.Figures["over budget: next run"] = outcome.Status.ToString().ToLowerInvariant();
                if (outcome.Status != JobRunStatus.Succeeded)
                {
                    result.Violations.Add($"over budget: the next run did not complete: {outcome.Status} {outcome.Error}");
                }
            }

            db.Clear();
            await run.CheckAsync(db, job, result, ct);
        }

        await run.Server.DropAsync(name, ct);
    }
}
