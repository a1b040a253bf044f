using System.ComponentModel;
using System.Globalization;
using Acms.Domain.Common;
using Acms.Domain.Reports;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class ReportsListCommand : AsyncCommand<ReportsListCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scope <SCOPE>")]
        public string? Scope { get; init; }

        [CommandOption("--user <ID>")]
        public Guid? User { get; init; }

        [CommandOption("--limit <N>")]
        [DefaultValue(20)]
        public int Limit { get; init; } = 20;

        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await using var scope = app.Services.CreateAsyncScope();
        return await DomainErrors.ReportAsync(async () =>
        {
            var list = await scope.ServiceProvider.GetRequiredService<ReportService>().ListAsync(settings.Scope, settings.User, settings.Limit, cancellationToken);
            if (settings.Json)
            {
                await Console.Out.WriteLineAsync(Json.Serialize(list, indented: true));
                return;
            }

            var table = new Table().AddColumns("id", "type", "scope", "user", "period", "title", "created (UTC)");
            foreach (var report in list.Data.Reports)
            {
                table.AddRow(report.Id.ToString(), report.ReportType, report.Scope, report.UserId?.ToString() ?? "-",
                    $"{report.PeriodStart:yyyy-MM-dd} – {report.PeriodEnd:yyyy-MM-dd}", Markup.Escape(report.Title),
                    report.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
        });
    }
}
