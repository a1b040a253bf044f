using System.ComponentModel;
using System.Globalization;
using Acms.Domain.Common;
using Acms.Domain.Reports;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class ReportsGenerateCommand : AsyncCommand<ReportsGenerateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--type <TYPE>")]
        [Description("weekly (the previous ISO week), monthly (the previous month) or custom (--start and --end).")]
        [DefaultValue("weekly")]
        public string Type { get; init; } = "weekly";

        [CommandOption("--scope <SCOPE>")]
        [Description("org or user (with --user).")]
        [DefaultValue("org")]
        public string Scope { get; init; } = "org";

        [CommandOption("--user <ID>")]
        public Guid? User { get; init; }

        [CommandOption("--start <DATE>")]
        public string? Start { get; init; }

        [CommandOption("--end <DATE>")]
        [Description("Exclusive end of the period.")]
        public string? End { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("json, markdown or html.")]
        [DefaultValue("markdown")]
        public string Format { get; init; } = "markdown";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await using var scope = app.Services.CreateAsyncScope();
        return await DomainErrors.ReportAsync(async () =>
        {
            var rendered = await scope.ServiceProvider.GetRequiredService<ReportService>().GenerateAsync(
                new ReportRequest(settings.Type, settings.Scope, settings.User, settings.Start, settings.End, settings.Format), cancellationToken);
            await Console.Out.WriteLineAsync(rendered.Content);
        });
    }
}

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

public sealed class ReportsShowCommand : AsyncCommand<ReportsShowCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<id>")]
        public Guid Id { get; init; }

        [CommandOption("--format <FORMAT>")]
        [DefaultValue("markdown")]
        public string Format { get; init; } = "markdown";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await using var scope = app.Services.CreateAsyncScope();
        return await DomainErrors.ReportAsync(async () =>
        {
            var report = await scope.ServiceProvider.GetRequiredService<ReportService>().GetAsync(settings.Id, cancellationToken);
            await Console.Out.WriteLineAsync(ReportService.Render(report, settings.Format).Content);
        });
    }
}
