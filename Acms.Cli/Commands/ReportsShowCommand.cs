using System.ComponentModel;
using Acms.Domain.Reports;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

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
