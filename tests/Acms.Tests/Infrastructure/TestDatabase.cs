using Acms.Domain.Database;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>A fresh database of the test server, dropped when the test ends.</summary>
public sealed class TestDatabase(EmbeddedPostgres server, string name) : IAsyncDisposable
{
    public string Name { get; } = name;
    public string ConnectionString { get; } = server.ConnectionString(name);

    private NpgsqlDataSource? _dataSource;

    public NpgsqlDataSource DataSource => _dataSource ??= NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await using var admin = new NpgsqlConnection(server.ConnectionString());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
