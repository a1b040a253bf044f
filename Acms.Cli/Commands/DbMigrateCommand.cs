using Acms.Domain.Database;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Acms.Cli.Commands;

public sealed class DbMigrateCommand : AsyncCommand
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        await using var app = await CliApp.StartAsync(cancellationToken);
        var applied = await app.Get<SchemaMigrator>().MigrateAsync(cancellationToken);
        AnsiConsole.MarkupLine(applied.Count == 0
            ? $"[green]Up to date[/]: {SchemaMigrator.All.Count} migrations already applied."
            : $"[green]Applied {applied.Count}[/]: {string.Join(", ", applied.Select(m => $"{m.Version:D4}_{m.Name}"))}");
        return 0;
    }
}
