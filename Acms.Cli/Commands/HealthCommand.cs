using System.ComponentModel;
using Acms.Domain.Common;
using Acms.Domain.Health;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

/// <summary><c>acms health [--json]</c>: the same checks as <c>GET /api/health/details</c>; exit 0 healthy, 1 unhealthy.</summary>
public sealed class HealthCommand : AsyncCommand<HealthCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Print only the health report JSON on stdout.")]
        public bool Json { get; init; }
    }

    public const int Healthy = 0;
    public const int Unhealthy = 1;

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The report shows every reason; the warnings logged for the alert would only repeat them on stderr.
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: LogLevel.Error);
        var report = await app.Get<HealthService>().CheckAsync(cancellationToken);
        if (settings.Json)
        {
            await Console.Out.WriteLineAsync(Json.Serialize(report, indented: true));
            return report.IsHealthy ? Healthy : Unhealthy;
        }

        AnsiConsole.MarkupLine($"{Mark(report.Status)} ACMS Jobs is [bold]{report.Status}[/] ({report.CheckedAt:u})");
        AnsiConsole.MarkupLine($"  database: {Mark(report.Database.Status)} {Markup.Escape(report.Database.Reason ?? "reachable")}");
        if (report.Migrations is { } migrations)
        {
            AnsiConsole.MarkupLine($"  migrations: {Mark(migrations.Status)} {migrations.Applied} applied, {migrations.Expected} in this build {Markup.Escape(migrations.Reason ?? "")}");
        }

        if (report.TopicExtraction is { } lag)
        {
            AnsiConsole.MarkupLine($"  topic extraction lag: {Mark(lag.Status)} {TimeSpan.FromSeconds(lag.LagSeconds):g} {Markup.Escape(lag.Reason ?? "")}");
        }

        if (report.Jobs.Count > 0)
        {
            var table = new Table().AddColumns("job", "health", "state", "schedule (UTC)", "last success", "unhealthy after", "reason");
            foreach (var job in report.Jobs)
            {
                table.AddRow(job.Job, Mark(job.Status) + " " + job.Status, job.State, job.Schedule, job.LastSuccessAt?.ToString("u") ?? "never",
                    job.UnhealthyAfter?.ToString("u") ?? "-", Markup.Escape(job.Reason ?? ""));
            }

            AnsiConsole.Write(table);
        }

        return report.IsHealthy ? Healthy : Unhealthy;
    }

    private static string Mark(string status) => status == HealthReport.Healthy ? "[green]✓[/]" : "[red]✗[/]";
}
