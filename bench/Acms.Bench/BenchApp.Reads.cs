using System.Diagnostics;
using Acms.Bench.Cases;
using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Bench;

// The read APIs' queries, timed call by call on one prepared copy of the template.
public static partial class BenchApp
{
    private static async Task<List<ReadResult>> RunReadsAsync(BenchServer server, string template, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        const string database = "bench_reads";
        await server.CloneAsync(template, database, ct);
        var results = new List<ReadResult>();
        try
        {
            await using var services = JobHost.Build(server.ConnectionString(database),
                new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmEnabled"] = "false" });
            foreach (var job in ReadQueries.Prepare)
            {
                var prepared = await services.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, dryRun: false, ct);
                log.WriteLine($"reads: {job} {prepared.Status}, {prepared.AffectedCount:N0} rows (untimed preparation)");
            }

            await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct))
            {
                await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
                await vacuum.ExecuteNonQueryAsync(ct);
            }

            Guid busiest;
            await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct))
            {
                await using var cmd = new NpgsqlCommand(
                    "SELECT COALESCE((SELECT user_id FROM query_history GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1), (SELECT user_id FROM users ORDER BY user_id LIMIT 1))", connection);
                busiest = (Guid)(await cmd.ExecuteScalarAsync(ct))!;
            }

            var context = new ReadContext(busiest);
            foreach (var q in ReadQueries.All)
            {
                for (var i = 0; i < o.Warmup; i++)
                {
                    await using var scope = services.CreateAsyncScope();
                    await q.CallAsync(scope.ServiceProvider, context, ct);
                }

                var samples = new double[o.Calls];
                for (var i = 0; i < o.Calls; i++)
                {
                    // One DI scope per call, as an HTTP request gets.
                    var start = Stopwatch.GetTimestamp();
                    await using (var scope = services.CreateAsyncScope())
                    {
                        await q.CallAsync(scope.ServiceProvider, context, ct);
                    }

                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                Array.Sort(samples);
                var p50 = Percentile(samples, 0.50);
                var p95 = Percentile(samples, 0.95);
                var verdict = q.MaxP95Ms is { } max ? (p95 <= max ? "PASS" : "MISS") : null;
                results.Add(new ReadResult(q.Name, q.Api, o.Calls, Math.Round(p50, 2), Math.Round(p95, 2), Math.Round(samples[^1], 2),
                    q.MaxP95Ms is { } m ? $"p95 ≤ {m:0} ms" : "—", verdict));
                log.WriteLine($"{q.Name}: p50 {p50:F2} ms, p95 {p95:F2} ms over {o.Calls} calls");
            }
        }
        finally
        {
            if (!o.Keep)
            {
                await server.DropAsync(database, ct);
            }
        }

        return results;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
