using Acms.Domain.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acms.Domain;

/// <summary>Applies pending migrations when the host starts, if <c>Database:MigrateOnStart</c> is true.</summary>
internal sealed class MigrateOnStartService(IOptions<DatabaseOptions> options, SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
