using System.ComponentModel;
using Acms.Domain.Common;
using Acms.Domain.Insights;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class InsightsSummaryCommand : AsyncCommand<InsightsSummaryCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--days <N>")]
        [Description("Period in days (1-365, default 7).")]
        [DefaultValue(7)]
        public int Days { get; init; } = 7;

        [CommandOption("--user <ID>")]
        [Description("A user's summary instead of the organisation's.")]
        public Guid? User { get; init; }

        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await using var scope = app.Services.CreateAsyncScope();
        return await DomainErrors.ReportAsync(async () =>
        {
            var summary = await scope.ServiceProvider.GetRequiredService<InsightsSummaryService>().GetAsync(settings.Days, settings.User, cancellationToken);
            var json = Json.Serialize(summary, indented: true);
            if (settings.Json)
            {
                await Console.Out.WriteLineAsync(json);
            }
            else
            {
                AnsiConsole.Write(new Spectre.Console.Json.JsonText(json));
                AnsiConsole.WriteLine();
            }
        });
    }
}
