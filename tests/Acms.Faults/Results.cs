using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Acms.Faults;

public static class Results
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task WriteAsync(string folder, FaultOptions o, string machine, TimeSpan elapsed, IReadOnlyList<ScenarioResult> results, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var md = new StringBuilder();
        var total = results.Sum(r => r.Violations.Count);
        md.AppendLine(CultureInfo.InvariantCulture, $"# Fault suite results ({o.Memories:N0} memories)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Size: {o.Memories:N0} memories, {o.Users:N0} users, {o.Queries:N0} Q&A rows, seed {o.Seed}. {machine}. Suite time {elapsed.TotalMinutes:F1} min.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Acms.Faults -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}`. Violations in all: **{total}**.");
        md.AppendLine();
        foreach (var group in results.GroupBy(r => r.Scenario))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {group.Key}");
            md.AppendLine();
            var keys = group.SelectMany(r => r.Figures.Keys).Distinct().ToList();
            md.AppendLine($"| job | injections | violations | {string.Join(" | ", keys)} |");
            md.AppendLine($"|---|---:|---:|{string.Concat(keys.Select(_ => "---:|"))}");
            foreach (var r in group)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Job} | {r.Injections} | {r.Violations.Count} | {string.Join(" | ", keys.Select(k => Format(r.Figures.GetValueOrDefault(k))))} |");
            }

            md.AppendLine();
            foreach (var r in group)
            {
                foreach (var v in r.Violations)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- **violation** ({r.Job}): {v}");
                }

                foreach (var n in r.Notes)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {r.Job}: {n}");
                }
            }

            md.AppendLine();
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), md.ToString(), ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(new
        {
            o.Memories, o.Users, o.Queries, o.Seed, machine, elapsed_minutes = Math.Round(elapsed.TotalMinutes, 1), violations = total,
            results = results.Select(r => new { r.Scenario, r.Job, r.Injections, r.Violations, r.Figures, r.Notes }),
        }, Indented), ct);
    }

    private static string Format(object? value) => value switch
    {
        null => "—",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
