using Acms.Bench;
using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Faults.Scenarios;

/// <summary>
/// Scenario 4: many manual runs of one job released at the same instant from several hosts (service graphs with their
/// own pools), through the runner the HTTP trigger calls. Exactly one executes; every other is skipped (HTTP 409) and
/// names it; the ledger holds exactly those rows.
/// </summary>
public sealed class ConcurrentRunsScenario : IScenario
{
    private const int Hosts = 5;

    public string Key => "concurrent";
    public string Title => "4. concurrent manual runs (direct runner calls, 5 hosts)";

    public async Task RunAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct)
    {
        var name = $"faults_concurrent_{job}";
        var cs = run.Server.ConnectionString(name);
        await using (var db = await run.CopyAsync(name, ct))
        {
            var hosts = Enumerable.Range(0, Hosts).Select(_ => JobHost.Build(cs, run.Settings)).ToList();
            try
            {
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var calls = Enumerable.Range(0, run.Options.Concurrent).Select(async i =>
                {
                    await go.Task;
                    return await hosts[i % Hosts].GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Http, false, ct);
                }).ToList();
                go.SetResult();
                var outcomes = await Task.WhenAll(calls);
                result.Injections = outcomes.Length;

                var executed = outcomes.Where(o => o.Status != JobRunStatus.Skipped).ToList();
                var skipped = outcomes.Where(o => o.Status == JobRunStatus.Skipped).ToList();
                result.Figures["executed"] = executed.Count;
                result.Figures["409 (skipped)"] = skipped.Count;
                if (executed.Count != 1)
                {
                    result.Violations.Add($"{executed.Count} runs executed instead of exactly one");
                }

                if (executed.Count == 1 && skipped.Any(s => s.RunningRunId != executed[0].RunId))
                {
                    result.Violations.Add("a skipped run named another run than the one executing");
                }

                await using var c = await db.OpenConnectionAsync(ct);
                var ledger = (await c.QueryAsync<(Guid Id, string Status)>(new CommandDefinition(
                    "SELECT job_run_id, status FROM job_runs WHERE job_name = @job AND trigger = 'http'", new { job }, cancellationToken: ct)))
                    .ToDictionary(r => r.Id, r => r.Status);
                var disagree = outcomes.Count(o => !ledger.TryGetValue(o.RunId, out var s) || !string.Equals(s, o.Status.ToString(), StringComparison.OrdinalIgnoreCase));
                result.Figures["ledger rows"] = ledger.Count;
                if (disagree > 0 || ledger.Count != outcomes.Length)
                {
                    result.Violations.Add($"ledger and callers disagree on {disagree} run(s); {ledger.Count} ledger rows for {outcomes.Length} calls");
                }
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await host.DisposeAsync();
                }
            }

            await run.CheckAsync(db, job, result, ct);
        }

        await run.Server.DropAsync(name, ct);
    }
}
