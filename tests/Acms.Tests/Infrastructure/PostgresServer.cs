using Acms.Domain.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run, started from the machine's binaries with the same code the CLI
/// uses. A migrated template database is cloned for every test, so tests are isolated and run in parallel.
/// If the server cannot start, every test that needs it fails: nothing is skipped silently.
/// </summary>
public static class PostgresServer
{
    private const string Template = "acms_template";
    private static readonly Lazy<Task<EmbeddedPostgres>> Server = new(StartAsync);
    private static int _counter;

    public static async Task<TestDatabase> CreateDatabaseAsync(bool migrated = true)
    {
        var server = await Server.Value;
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand(migrated ? $"CREATE DATABASE {name} TEMPLATE {Template}" : $"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(server, name);
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"acms-tests-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var server = await EmbeddedPostgres.StartAsync(dataDir, ephemeral: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();

        await server.EnsureDatabaseAsync(Template);
        await using (var dataSource = NpgsqlDataSource.Create(server.ConnectionString(Template)))
        {
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        NpgsqlConnection.ClearAllPools();
        return server;
    }
}
