using System.Diagnostics;
using Acms.Bench;
using Acms.Faults.Scenarios;
using Npgsql;

namespace Acms.Faults;

/// <summary>
/// Builds the dataset once (the bench's seeder), takes one clean run of each job on a twin copy as the reference, then
/// runs every scenario on fresh copies of the same template and writes <c>results.md</c>/<c>.json</c>. Exit 1 when any
/// scenario has a violation.
/// </summary>
public static class FaultSuite
{
    public static async Task<int> RunAsync(FaultOptions o, TextWriter log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var server = await FaultServer.StartAsync(ct);
        var run = new FaultRun(server, o, log);
        log.WriteLine($"Dataset: {o.Memories:N0} memories, {o.Users:N0} users, {o.Queries:N0} Q&A rows (seed {o.Seed})");
        await server.ExecuteAsync($"CREATE DATABASE {FaultRun.Template}", ct);
        await using (var template = NpgsqlDataSource.Create(server.ConnectionString(FaultRun.Template)))
        {
            await Dataset.BuildAsync(template, new BenchOptions { Memories = o.Memories, Users = o.Users, Queries = o.Queries, Seed = o.Seed }, log, ct);
            run.InitialMemories = await EndState.ScalarAsync(template, "SELECT count(*) FROM memory_items", ct);
            await using var c = await template.OpenConnectionAsync(ct);
            await using var version = new NpgsqlCommand("SELECT version()", c);
            run.PostgresVersion = (string)(await version.ExecuteScalarAsync(ct))!;
        }

        foreach (var job in o.Jobs)
        {
            await run.TakeReferenceAsync(job, ct);
        }

        var results = new List<ScenarioResult>();
        IScenario[] scenarios = [new KillScenario(), new RestartScenario(), new LeaseScenario(), new ConcurrentRunsScenario(), new LiveTrafficScenario()];
        foreach (var scenario in scenarios.Where(s => o.Wants(s.Key)))
        {
            foreach (var job in o.Jobs)
            {
                log.WriteLine($"== {scenario.Key} × {job}");
                var result = new ScenarioResult(scenario.Title, job);
                try
                {
                    await scenario.RunAsync(run, job, result, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    result.Violations.Add($"the scenario itself failed: {ex.GetType().Name}: {ex.Message}");
                }

                log.WriteLine($"   injections {result.Injections}, violations {result.Violations.Count}{(result.Violations.Count > 0 ? ": " + string.Join("; ", result.Violations) : "")}");
                results.Add(result);
            }
        }

        await Results.WriteAsync(o.Out, o, MachineInfo.Describe(run.PostgresVersion).ToString(), clock.Elapsed, results, ct);
        var violations = results.Sum(r => r.Violations.Count);
        log.WriteLine($"{violations} violation(s); results in {Path.Combine(o.Out, "results.md")}");
        return violations == 0 ? 0 : 1;
    }
}
