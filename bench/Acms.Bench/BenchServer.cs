using Acms.Domain.Database;
using Npgsql;

namespace Acms.Bench;

/// <summary>
/// The PostgreSQL server the benchmark runs on: a private <see cref="EmbeddedPostgres"/> in a temporary folder, or the
/// server of <c>ConnectionStrings__Acms</c> when it is set, where only databases named <c>bench_*</c> are created and dropped.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;
    private readonly NpgsqlConnectionStringBuilder _admin;

    private BenchServer(EmbeddedPostgres? embedded, NpgsqlConnectionStringBuilder admin)
    {
        _embedded = embedded;
        _admin = admin;
    }

    public string Description { get; private set; } = "";

    public static async Task<BenchServer> StartAsync(bool keep, TextWriter log, CancellationToken ct)
    {
        BenchServer server;
        var external = Environment.GetEnvironmentVariable("ConnectionStrings__Acms");
        if (!string.IsNullOrWhiteSpace(external))
        {
            server = new BenchServer(null, new NpgsqlConnectionStringBuilder(external) { Pooling = true, MaxPoolSize = 50 });
            server.Description = $"external server {server._admin.Host}:{server._admin.Port}";
        }
        else
        {
            var dataDir = Path.Combine(Path.GetTempPath(), $"acms-bench-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
            var pg = await EmbeddedPostgres.StartAsync(dataDir, ephemeral: !keep, ct);
            server = new BenchServer(pg, new NpgsqlConnectionStringBuilder(pg.ConnectionString()));
            server.Description = $"private server in {dataDir} (fsync off, shared_buffers 256MB)";
        }

        log.WriteLine($"PostgreSQL: {server.Description}");
        return server;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database }.ConnectionString;

    public async Task<string> VersionAsync(CancellationToken ct)
    {
        await using var c = await OpenAdminAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT version()", c);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The database's comment, or null when the database does not exist.</summary>
    public async Task<string?> CommentAsync(string database, CancellationToken ct)
    {
        await using var c = await OpenAdminAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = @name", c);
        cmd.Parameters.AddWithValue("name", database);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    public async Task ExecuteAdminAsync(string sql, CancellationToken ct)
    {
        await using var c = await OpenAdminAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task DropAsync(string database, CancellationToken ct)
    {
        Guard(database);
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", ct);
    }

    public async Task CreateEmptyAsync(string database, CancellationToken ct)
    {
        await DropAsync(database, ct);
        await ExecuteAdminAsync($"CREATE DATABASE {database}", ct);
    }

    /// <summary>A file-level copy of the template (no connections to it may be open: pools are cleared first).</summary>
    public async Task CloneAsync(string template, string database, CancellationToken ct)
    {
        Guard(template);
        await DropAsync(database, ct);
        await ExecuteAdminAsync("CHECKPOINT", ct);
        await ExecuteAdminAsync($"CREATE DATABASE {database} TEMPLATE {template} STRATEGY FILE_COPY", ct);
    }

    private static void Guard(string database)
    {
        if (!database.StartsWith("bench_", StringComparison.Ordinal) || !database.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
        {
            throw new ArgumentException($"The benchmark only touches databases named bench_*: '{database}'.");
        }
    }

    private async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken ct)
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Pooling = false }.ConnectionString);
        await c.OpenAsync(ct);
        return c;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }
}
