using Acms.Domain;
using Acms.Domain.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Acms.Cli;

/// <summary>
/// The CLI's service graph: the same <c>AddAcmsDomain</c> as the Functions app, configured from environment variables
/// (<c>ConnectionStrings__Acms</c>, <c>Jobs__Decay__Rate</c>, …). Without a connection string it starts the embedded
/// PostgreSQL and migrates it. Logs go to stderr so stdout carries only the command's output.
/// </summary>
public sealed class CliApp : IAsyncDisposable
{
    public const string DefaultDatabase = "acms";

    private readonly ServiceProvider _services;
    private readonly EmbeddedPostgres? _embedded;

    private CliApp(ServiceProvider services, EmbeddedPostgres? embedded, string database)
    {
        _services = services;
        _embedded = embedded;
        Database = database;
    }

    public IServiceProvider Services => _services;

    /// <summary>Whether the database is the CLI's own embedded one (safe to recreate for the demo).</summary>
    public bool IsEmbedded => _embedded is not null;

    public string Database { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<CliApp> StartAsync(CancellationToken cancellationToken, string? embeddedDatabase = null, bool recreateEmbeddedDatabase = false, LogLevel logLevel = LogLevel.Information, string? telemetry = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "acms.settings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();

        EmbeddedPostgres? embedded = null;
        var database = DefaultDatabase;
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseOptions.ConnectionStringName)))
        {
            var dataDirectory = configuration["Embedded:DataDirectory"] is { Length: > 0 } configured ? configured : DefaultEmbeddedDataDirectory();
            embedded = await EmbeddedPostgres.StartAsync(dataDirectory, ephemeral: false, cancellationToken);
            database = embeddedDatabase ?? DefaultDatabase;
            if (recreateEmbeddedDatabase)
            {
                await embedded.DropDatabaseAsync(database, cancellationToken);
            }

            await embedded.EnsureDatabaseAsync(database, cancellationToken);
            Console.Error.WriteLine($"Using the embedded PostgreSQL in {dataDirectory} (127.0.0.1:{embedded.Port}, database {database}); set ConnectionStrings__Acms to use your own.");
            configuration = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"] = embedded.ConnectionString(database) })
                .Build();
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
                .AddFilter("Acms", logLevel)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("Npgsql", LogLevel.Warning)
                .SetMinimumLevel(LogLevel.Warning))
            .Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddAcmsDomain(configuration)
            .AddCliTelemetry(telemetry)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var app = new CliApp(services, embedded, database);
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            CliTelemetry.Start(services);
            if (embedded is not null || services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
            {
                await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
            }
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>A folder that survives between commands, owned by an unprivileged user when run as root.</summary>
    public static string DefaultEmbeddedDataDirectory() =>
        Environment.UserName == "root" || string.IsNullOrEmpty(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData))
            ? "/var/tmp/acms-embedded-pg"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "acms", "embedded-pg");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }
}
