using System.ComponentModel;
using Acms.Domain.Reports;
using Microsoft.Extensions.DependencyInjection;
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
