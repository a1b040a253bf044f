using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acms.Bench;

public static class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<(string Markdown, string Json)> WriteAsync(BenchReport report, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        // A run with changed settings never overwrites the default-settings results of its size.
        var name = $"bench-{report.Options.Memories}{(report.Options.Set.Count > 0 ? "-custom" : "")}";
        var md = Path.Combine(folder, name + ".md");
        var json = Path.Combine(folder, name + ".json");
        await File.WriteAllTextAsync(md, Markdown(report), ct);
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, JsonOptions) + "\n", ct);
        return (md, json);
    }

    public static string Markdown(BenchReport r)
    {
        var ci = CultureInfo.InvariantCulture;
        var d = r.Dataset;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"# ACMS jobs benchmark — {d.Memories:N0} memories, {d.QueryHistory:N0} Q&A");
        sb.AppendLine();
        sb.AppendLine(ci, $"- Machine: {r.Machine.Cores} cores, {r.Machine.MemoryGb} GB RAM, {r.Machine.CpuModel}");
        sb.AppendLine(ci, $"- Software: {r.Machine.Os}; {r.Machine.DotNet}; {r.Machine.PostgreSql.Split(" on ")[0]}");
        sb.AppendLine(ci, $"- Server: {r.Server}");
        sb.AppendLine(ci, $"- Dataset (seed {r.Options.Seed}): {d.Users:N0} users, {d.Memories:N0} memories ({d.DuplicateMembers:N0} in {d.DuplicateGroups:N0} near-duplicate groups), {d.Outcomes:N0} outcomes, {d.QueryHistory:N0} query_history rows ({d.QueryHistorySource}); {d.DatabaseBytes / 1048576.0:N0} MB, built in {d.LoadSeconds:N1} s");
        if (r.Options.Set.Count > 0)
        {
            sb.AppendLine(ci, $"- Settings changed from the defaults: {string.Join(", ", r.Options.Set.Select(kv => $"{kv.Key}={kv.Value}"))}");
        }

        sb.AppendLine(ci, $"- Commit {r.Commit}, {r.GeneratedAtUtc:yyyy-MM-dd HH:mm} UTC{(r.Options.Ci ? "; **CI size: end states are checked, ratios and latencies are not asserted at this size**" : "")}");
        sb.AppendLine();
        sb.AppendLine("| job | rows | job time (s) | floor time (s) | ratio | target | rows/s | peak MB (RSS / managed) | end state |");
        sb.AppendLine("|---|---:|---:|---:|---:|---|---:|---:|---|");
        foreach (var c in r.Cases)
        {
            if (c.Status != "ok")
            {
                sb.AppendLine(ci, $"| {c.Job} | — | — | — | — | {c.Target} | — | {(c.PeakRssMb > 0 ? c.PeakRssMb.ToString("0", ci) : "—")} | {c.Status}: {c.Error} |");
                continue;
            }

            var ratio = c.Ratio is { } x ? $"{x:0.00}×" : "—";
            sb.AppendLine(ci,
                $"| {c.Job} | {c.Rows:N0} | {c.JobSeconds:0.00} | {(c.FloorSeconds is { } f ? f.ToString("0.00", ci) : "—")} | {ratio} | {c.Target}{(c.TargetVerdict is null ? "" : $" **{c.TargetVerdict}**")} | {c.RowsPerSecond:N0} | {c.PeakRssMb:0} / {c.PeakManagedMb:0} (≤ {BenchApp.MaxPeakMb:0}: **{c.MemoryVerdict}**) | {(c.EndStateEqual switch { true => "equal", false => "**DIFFERENT**", null => "—" })} |");
        }

        if (r.Reads.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| read query | API | calls | p50 (ms) | p95 (ms) | max (ms) | target |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---|");
            foreach (var q in r.Reads)
            {
                sb.AppendLine(ci, $"| {q.Name} | {q.Api} | {q.Calls} | {q.P50Ms:0.00} | {q.P95Ms:0.00} | {q.MaxMs:0.00} | {q.Target}{(q.Verdict is null ? "" : $" **{q.Verdict}**")} |");
            }
        }

        if (r.Options.Repeat > 1)
        {
            sb.AppendLine();
            sb.AppendLine(ci, $"Times are medians of {r.Options.Repeat} job/floor pairs on fresh clones (odd pairs ran the floor first):");
            foreach (var c in r.Cases.Where(c => c.Status == "ok"))
            {
                sb.AppendLine(ci, $"- {c.Job}: job {string.Join(", ", c.JobSamples.Select(x => x.ToString("0.00", ci)))} s; floor {(c.FloorSamples is null ? "—" : string.Join(", ", c.FloorSamples.Select(x => x.ToString("0.00", ci))))} s");
            }
        }

        var floors = r.Cases.Where(c => c.Floor is not null).ToList();
        if (floors.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Floors:");
            foreach (var c in floors)
            {
                sb.AppendLine(ci, $"- {c.Job}: {c.Floor}");
            }
        }

        if (r.Failures.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Failures:");
            foreach (var f in r.Failures)
            {
                sb.AppendLine(ci, $"- {f}");
            }
        }

        return sb.ToString();
    }
}
