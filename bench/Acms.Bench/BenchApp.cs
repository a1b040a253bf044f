using System.Diagnostics;
using Acms.Bench.Cases;
using Npgsql;

namespace Acms.Bench;

/// <summary>Builds the dataset once as a template, then measures every case on fresh copies of it.</summary>
public static partial class BenchApp
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
