using System.Diagnostics;
using Acms.Bench.Cases;
using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Bench;

/// <summary>Builds the dataset once as a template, then measures every case on fresh copies of it.</summary>
public static class BenchApp
{
    public const double MaxPeakMb = 200;

    /// <summary>Every mutating job the benchmark knows; a job not in the build is reported as absent.</summary>
    public static IReadOnlyList<IBenchCase> Cases { get; } =
        [new DecayCase(), new DedupCase(), new CleanupCase(), new TopicExtractionCase(), new InsightGenerationCase(), new WeeklyReportCase()];

    public static async Task<int> RunAsync(BenchOptions o, TextWriter log, CancellationToken ct)
    {
        await using var server = await BenchServer.StartAsync(o.Keep, log, ct);
        var machine = MachineInfo.Describe(await server.VersionAsync(ct));
        log.WriteLine($"Machine: {machine}");
        log.WriteLine($"Size: {o.Memories:N0} memories, {o.Queries:N0} Q&A, {o.Users:N0} users, seed {o.Seed}{(o.Ci ? " (CI: end states checked, ratios not asserted)" : "")}");

        var template = $"bench_tpl_m{o.Memories}_u{o.Users}_q{o.Queries}_s{o.Seed}{(QueryHistoryHook.Available ? "_qh" + QueryHistoryHook.Provenance : "")}";
        var dataset = await BuildTemplateAsync(server, template, o, log, ct);

        var failures = new List<string>();
        var cases = new List<CaseResult>();
        foreach (var c in Cases.Where(c => o.Wants(c.Job)))
        {
            var result = await RunCaseAsync(server, template, c, o, log, ct);
            cases.Add(result);
            if (result.Status == "failed")
            {
                failures.Add($"{c.Job}: {result.Error}");
            }
            else if (result.EndStateEqual == false)
            {
                failures.Add($"{c.Job}: end state differs from the floor's (job {result.JobFingerprint} vs floor {result.FloorFingerprint})");
            }
            else if (result.Status == "ok" && result.FloorRows is { } fr && fr != result.Rows)
            {
                failures.Add($"{c.Job}: the job reported {result.Rows} rows, the floor changed {fr}");
            }
        }

        var reads = o.Wants("reads") ? await RunReadsAsync(server, template, o, log, ct) : [];

        if (!o.Keep && !o.Reuse)
        {
            await server.DropAsync(template, ct);
        }

        var report = new BenchReport
        {
            GeneratedAtUtc = DateTime.UtcNow,
            Machine = machine,
            Server = server.Description,
            Options = o,
            Dataset = dataset,
            Cases = cases,
            Reads = reads,
            Failures = failures,
            Commit = GitCommit(),
        };
        var (md, json) = await Report.WriteAsync(report, o.Out, ct);
        log.WriteLine();
        log.WriteLine(Report.Markdown(report));
        log.WriteLine($"Wrote {md} and {json}");

        foreach (var failure in failures)
        {
            log.WriteLine($"FAILED: {failure}");
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<DatasetSummary> BuildTemplateAsync(BenchServer server, string template, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        if (o.Reuse && await server.CommentAsync(template, ct) is { } saved
            && System.Text.Json.JsonSerializer.Deserialize<DatasetSummary>(saved) is { } reused)
        {
            log.WriteLine($"Reusing the template {template} built earlier with the same size and seed");
            return reused;
        }

        log.WriteLine("Building the dataset …");
        await server.CreateEmptyAsync(template, ct);
        DatasetSummary dataset;
        await using (var db = NpgsqlDataSource.Create(server.ConnectionString(template)))
        {
            dataset = await Dataset.BuildAsync(db, o, log, ct);
        }

        await server.ExecuteAdminAsync($"COMMENT ON DATABASE {template} IS '{System.Text.Json.JsonSerializer.Serialize(dataset).Replace("'", "''", StringComparison.Ordinal)}'", ct);

        NpgsqlConnection.ClearAllPools();
        log.WriteLine($"  template ready in {dataset.LoadSeconds:F1} s, {dataset.DatabaseBytes / 1024.0 / 1024.0:N0} MB");
        return dataset;
    }

    private sealed record Sample(JobRunResult Run, double JobSeconds, double PeakRss, double PeakManaged, string JobPrint,
        long? FloorRows, double? FloorSeconds, string? FloorPrint);

    private static async Task<CaseResult> RunCaseAsync(BenchServer server, string template, IBenchCase c, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        await using (var probe = JobHost.Build(server.ConnectionString(template), Merge(c.Settings, o)))
        {
            if (!probe.GetRequiredService<JobCatalog>().TryGet(c.Job, out _))
            {
                log.WriteLine($"{c.Job}: not in this build, skipped");
                return new CaseResult { Job = c.Job, Status = "absent", Floor = c.Floor, Target = c.Target.ToString(), Error = "job not in this build" };
            }
        }

        var samples = new List<Sample>();
        try
        {
            for (var rep = 0; rep < o.Repeat; rep++)
            {
                // Odd repetitions run the floor first, so neither side always gets the warmer cache.
                var sample = await RunOnceAsync(server, template, c, floorFirst: rep % 2 == 1, o, log, ct);
                if (sample.Run.Status != JobRunStatus.Succeeded)
                {
                    return new CaseResult
                    {
                        Job = c.Job, Status = "failed", Floor = c.Floor, Target = c.Target.ToString(), JobSeconds = sample.JobSeconds,
                        Error = sample.Run.Error ?? sample.Run.Status.ToString(), PeakRssMb = sample.PeakRss, PeakManagedMb = sample.PeakManaged,
                    };
                }

                samples.Add(sample);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.WriteLine($"  {c.Job} threw: {ex}");
            return new CaseResult { Job = c.Job, Status = "failed", Floor = c.Floor, Target = c.Target.ToString(), Error = $"{ex.GetType().Name}: {ex.Message}" };
        }

        var first = samples[0];
        var jobSeconds = Median(samples.Select(x => x.JobSeconds));
        double? floorSeconds = c.Floor is null ? null : Median(samples.Select(x => x.FloorSeconds!.Value));
        double? ratio = floorSeconds is { } f ? jobSeconds / f : null;
        var rows = c.Rows(first.Run);
        var rowsPerSecond = jobSeconds > 0 ? rows / jobSeconds : 0;
        var verdict = c.Target.MaxRatio is { } max && ratio is { } r ? (r <= max ? "PASS" : "MISS")
            : c.Target.MinRowsPerSecond is { } min ? (rowsPerSecond >= min ? "PASS" : "MISS") : null;
        bool? equal = c.Floor is null ? null : samples.All(x => x.FloorPrint == x.JobPrint && x.JobPrint == first.JobPrint);
        var peakRss = samples.Max(x => x.PeakRss);
        return new CaseResult
        {
            Job = c.Job,
            Status = "ok",
            Floor = c.Floor,
            Target = c.Target.ToString(),
            Rows = rows,
            FloorRows = first.FloorRows,
            JobSeconds = Math.Round(jobSeconds, 3),
            FloorSeconds = floorSeconds is { } fs ? Math.Round(fs, 3) : null,
            Ratio = ratio is { } x ? Math.Round(x, 2) : null,
            RowsPerSecond = Math.Round(rowsPerSecond),
            PeakRssMb = peakRss,
            PeakManagedMb = samples.Max(x => x.PeakManaged),
            EndStateEqual = equal,
            JobFingerprint = first.JobPrint,
            FloorFingerprint = first.FloorPrint,
            TargetVerdict = verdict,
            MemoryVerdict = peakRss <= MaxPeakMb ? "PASS" : "MISS",
            JobSamples = [.. samples.Select(x => Math.Round(x.JobSeconds, 3))],
            FloorSamples = c.Floor is null ? null : [.. samples.Select(x => Math.Round(x.FloorSeconds!.Value, 3))],
            JobDetails = first.Run.Details,
        };
    }

    private static async Task<Sample> RunOnceAsync(BenchServer server, string template, IBenchCase c, bool floorFirst, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        var a = $"bench_{c.Job}_job";
        var b = $"bench_{c.Job}_floor";
        log.WriteLine($"{c.Job}: cloning the template{(c.Floor is null ? "" : " twice")} …");
        await server.CloneAsync(template, a, ct);
        if (c.Floor is not null)
        {
            await server.CloneAsync(template, b, ct);
        }

        try
        {
            (long Rows, double Seconds, string Print)? floor = null;
            if (c.Floor is not null && floorFirst)
            {
                floor = await RunFloorAsync(server, b, c, o, log, ct);
            }

            // Copy A: the real job through the JobRunner.
            JobRunResult run;
            double jobSeconds, peakRss, peakManaged;
            string jobPrint;
            await using (var services = JobHost.Build(server.ConnectionString(a), Merge(c.Settings, o)))
            {
                var db = services.GetRequiredService<NpgsqlDataSource>();
                foreach (var before in c.Before)
                {
                    var started = Stopwatch.GetTimestamp();
                    var prepared = await services.GetRequiredService<JobRunner>().RunAsync(before, JobTrigger.Cli, dryRun: false, ct);
                    log.WriteLine($"  before: {before} {prepared.Status}, {prepared.AffectedCount:N0} rows in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s (not part of the figure)");
                    if (prepared.Status != JobRunStatus.Succeeded)
                    {
                        throw new InvalidOperationException($"{before} (run before {c.Job}) {prepared.Status}: {prepared.Error}");
                    }
                }

                await server.ExecuteAdminAsync("CHECKPOINT", ct);
                var memory = PeakMemory.Start();
                var watch = Stopwatch.StartNew();
                try
                {
                    run = await c.RunJobAsync(services, ct);
                }
                finally
                {
                    watch.Stop();
                    await memory.DisposeAsync();
                }

                peakRss = memory.PeakRssMb;
                peakManaged = memory.PeakManagedMb;
                jobSeconds = watch.Elapsed.TotalSeconds;
                log.WriteLine($"  job:   {run.Status}, {run.AffectedCount:N0} rows in {jobSeconds:F2} s, peak RSS {peakRss} MB{(run.Error is null ? "" : $": {run.Error}")}");
                jobPrint = run.Status == JobRunStatus.Succeeded ? await c.FingerprintAsync(db, ct) : "";
            }

            if (c.Floor is not null && floor is null && run.Status == JobRunStatus.Succeeded)
            {
                floor = await RunFloorAsync(server, b, c, o, log, ct);
            }

            if (floor is { } f)
            {
                log.WriteLine($"  ratio {jobSeconds / f.Seconds:F2}; end state {(f.Print == jobPrint ? "equal" : "DIFFERENT")} ({jobPrint} / {f.Print})");
            }

            return new Sample(run, jobSeconds, peakRss, peakManaged, jobPrint, floor?.Rows, floor?.Seconds, floor?.Print);
        }
        finally
        {
            if (!o.Keep)
            {
                await server.DropAsync(a, ct);
                await server.DropAsync(b, ct);
            }
        }
    }

    /// <summary>Copy B: the one-statement floor, with the same options and "now" as the job.</summary>
    private static async Task<(long Rows, double Seconds, string Print)> RunFloorAsync(BenchServer server, string database, IBenchCase c, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        await using var services = JobHost.Build(server.ConnectionString(database), Merge(c.Settings, o));
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await server.ExecuteAdminAsync("CHECKPOINT", ct);
        var watch = Stopwatch.StartNew();
        var rows = await c.RunFloorAsync(db, services, ct);
        watch.Stop();
        log.WriteLine($"  floor: {rows:N0} rows in {watch.Elapsed.TotalSeconds:F2} s");
        return (rows, watch.Elapsed.TotalSeconds, await c.FingerprintAsync(db, ct));
    }

    /// <summary>
    /// A case's settings and <c>--set</c> over the bench's base: no rest between batches (<c>Pace</c> 0), because the bench
    /// measures a job's work against the one statement that does the same. The shipped Pace multiplies a run's wall time
    /// by about 1 + Pace; the fault suite's live-traffic scenario measures what it buys. <c>--set</c> can put it back.
    /// </summary>
    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> settings, BenchOptions o)
    {
        var merged = JobDefinitions.InScheduleOrder.ToDictionary(job => $"{job.OptionsPath}:Pace", _ => (string?)"0");
        foreach (var (key, value) in settings.Concat(o.Set))
        {
            merged[key] = value;
        }

        return merged;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

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

    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            var sha = git!.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? sha : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
