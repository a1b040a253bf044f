using System.ComponentModel;
using Acms.Domain.Archive;
using Acms.Domain.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class JobsRestoreCommand : AsyncCommand<JobsRestoreCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<memory_id>")]
        [Description("The id of a memory that dedup merged away or cleanup deleted.")]
        public string MemoryId { get; init; } = "";

        [CommandOption("--json")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Guid.TryParse(MemoryId, out _) ? ValidationResult.Success() : ValidationResult.Error($"'{MemoryId}' is not a memory id (a UUID).");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken, logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        var result = await app.Get<ArchiveRestorer>().RestoreAsync(Guid.Parse(settings.MemoryId), cancellationToken);
        if (settings.Json)
        {
            await Console.Out.WriteLineAsync(Json.Serialize(result, indented: true));
        }
        else
        {
            var color = result.Status == RestoreStatus.Restored ? "green" : "yellow";
            AnsiConsole.MarkupLine($"[{color}]{result.Status}[/]: {Markup.Escape(result.Message)}");
        }

        return result.Status == RestoreStatus.Restored ? 0 : 1;
    }
}
