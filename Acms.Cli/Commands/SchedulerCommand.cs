using System.ComponentModel;
using Acms.Domain.Runs;
using Acms.Domain.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class SchedulerCommand : AsyncCommand<SchedulerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--telemetry <EXPORTER>")]
        [Description("console: print OpenTelemetry spans and metrics of every run. OTLP is used whenever OTEL_EXPORTER_OTLP_ENDPOINT is set.")]
        public string? Telemetry { get; init; }

        public override ValidationResult Validate() =>
            CliTelemetry.IsValid(Telemetry) ? ValidationResult.Success() : ValidationResult.Error($"--telemetry must be console or none, not '{Telemetry}'.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, telemetry: settings.Telemetry);
        var status = await app.Get<JobRunQueries>().StatusAsync(cancellationToken);
        AnsiConsole.MarkupLine($"Starting ACMS Job Scheduler with {status.Jobs.Count(j => j.Enabled)} jobs: " +
                               string.Join(", ", status.Jobs.Where(j => j.Enabled).Select(j => $"{j.Id} ({j.Schedule})")) + ". Ctrl+C stops it.");
        try
        {
            await app.Get<JobScheduler>().RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        AnsiConsole.MarkupLine("Scheduler stopped.");
        return 0;
    }
}
