using Acms.Bench;
using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Faults.Scenarios;

/// <summary>
/// Scenario 6: a writer standing in for the ACMS API (touches a memory — <c>last_accessed</c>, <c>access_count</c> — twice
/// for every memory it inserts, at a steady rate) runs alone, then while the job runs. Target: p99 during the job ≤ 2×
/// the idle p99, and no writer error.
/// </summary>
public sealed class LiveTrafficScenario : IScenario
{
    public string Key => "traffic";
    public string Title => "6. live-traffic impact (writer p50/p99 idle vs during the job)";

    public async Task RunAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct)
    {
        var name = $"faults_traffic_{job}";
        var cs = run.Server.ConnectionString(name);
        await using (var db = await run.CopyAsync(name, ct))
        {
            await using var writerDb = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cs) { MaxPoolSize = 30, ApplicationName = "acms-api-writer" }.ConnectionString);
            var writer = await Writer.CreateAsync(writerDb, run.Options.Seed, ct);

            // Warm-up (the writer's pool opens its connections), not measured.
            using (var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                await writer.RunAsync(run.Options.WriterRate, warmUp.Token);
            }

            var idleFor = TimeSpan.FromSeconds(Math.Max(5, run.References[job].Total.TotalSeconds));
            Writer.Sample idle;
            using (var idleStop = new CancellationTokenSource(idleFor))
            {
                idle = await writer.RunAsync(run.Options.WriterRate, idleStop.Token);
            }

            Report(result, "idle", idle);

            await using var services = JobHost.Build(cs, run.Settings);
            using var jobStop = new CancellationTokenSource();
            var during = writer.RunAsync(run.Options.WriterRate, jobStop.Token);
            var jobClock = System.Diagnostics.Stopwatch.StartNew(); // the run's own times come from the pinned clock
            var outcome = await services.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, ct);
            var jobSeconds = jobClock.Elapsed.TotalSeconds;
            await jobStop.CancelAsync();
            var busy = await during;
            Report(result, "job", busy);
            result.Injections = busy.Latencies.Count;

            var idleP99 = (double)result.Figures["idle p99 ms"]!;
            var ratio = idleP99 > 0 ? Math.Round((double)result.Figures["job p99 ms"]! / idleP99, 2) : 0;
            result.Figures["p99 ratio"] = ratio;
            result.Figures["job run"] = $"{outcome.Status.ToString().ToLowerInvariant()}, {jobSeconds:F1} s";
            if (outcome.Status != JobRunStatus.Succeeded)
            {
                result.Violations.Add($"the job failed under live traffic: {outcome.Error}");
            }

            if (ratio > 2)
            {
                result.Violations.Add($"writer p99 during the job is {ratio}× the idle p99 (target ≤ 2×)");
            }

            if (idle.Errors.Count + busy.Errors.Count > 0)
            {
                result.Violations.Add($"writer errors: {string.Join("; ", idle.Errors.Concat(busy.Errors).Distinct().Take(5))}");
            }
        }

        await run.Server.DropAsync(name, ct);
    }

    private static void Report(ScenarioResult result, string phase, Writer.Sample sample)
    {
        var sorted = sample.Latencies.Order().ToList();
        double At(double q) => sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)], 1);
        result.Figures[$"{phase} ops"] = sorted.Count;
        result.Figures[$"{phase} p50 ms"] = At(0.50);
        result.Figures[$"{phase} p99 ms"] = At(0.99);
        result.Figures[$"{phase} errors"] = sample.Errors.Count;
    }
}
