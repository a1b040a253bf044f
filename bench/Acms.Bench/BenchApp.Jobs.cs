using System.Diagnostics;
using Acms.Bench.Cases;
using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Bench;

// Each mutating job against its one-statement floor, on fresh copies of the template.
public static partial class BenchApp
{
    private sealed record Sample(JobRunResult Run, double JobSeconds, double PeakRss, double PeakManaged, string JobPrint,
        long? FloorRows, double? FloorSeconds, string? FloorPrint);

    private static async Task<CaseResult> RunCaseAsync(BenchServer server, string template, IBenchCase c, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        await using (var probe = JobHost.Build(server.ConnectionString(template), Merge(c.Settings, o), o.LlmLatency))
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
            await using (var services = JobHost.Build(server.ConnectionString(a), Merge(c.Settings, o), o.LlmLatency))
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
        await using var services = JobHost.Build(server.ConnectionString(database), Merge(c.Settings, o), o.LlmLatency);
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
}
