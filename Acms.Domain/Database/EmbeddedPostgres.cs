using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Acms.Domain.Database;

/// <summary>
/// A private PostgreSQL server started from the binaries on this machine (PATH or the usual install folders), in a data
/// folder of its own, on a free loopback port, as an unprivileged OS user when run as root (initdb refuses root).
/// Used by the CLI when no connection string is configured and by the test suite.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string SuperUser = "acms";
    private static readonly string[] SearchFolders = ["/usr/lib/postgresql", "/usr/local/pgsql/bin", "/opt/homebrew/bin", "/usr/local/bin", "/usr/pgsql-17/bin", "/usr/pgsql-16/bin", "/usr/pgsql-15/bin"];

    private static readonly string[] UnprivilegedUsers = ["postgres", "nobody"];

    private readonly string _binDir;
    private readonly string? _runAs;
    private readonly bool _ownsServer;
    private readonly bool _deleteOnDispose;

    private EmbeddedPostgres(string binDir, string dataDir, int port, string? runAs, bool ownsServer, bool deleteOnDispose)
    {
        _binDir = binDir;
        DataDirectory = dataDir;
        Port = port;
        _runAs = runAs;
        _ownsServer = ownsServer;
        _deleteOnDispose = deleteOnDispose;
    }

    public string DataDirectory { get; }
    public int Port { get; }

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Pooling = true,
        MaxPoolSize = 50,
    }.ConnectionString;

    /// <summary>
    /// Starts a server in <paramref name="dataDirectory"/> (created with initdb if empty), or attaches to the one already
    /// running there. <paramref name="ephemeral"/> servers are deleted on dispose and run with fsync off.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, bool ephemeral, CancellationToken cancellationToken = default)
    {
        var binDir = FindBinaries() ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install them (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@16) " +
            "or set ConnectionStrings__Acms to an existing PostgreSQL database.");
        var runAs = Environment.UserName == "root" || IsRoot() ? FindUnprivilegedUser() : null;

        Directory.CreateDirectory(dataDirectory);
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", $"{runAs}:", dataDirectory], null, cancellationToken);
            await RunAsync("chmod", ["700", dataDirectory], null, cancellationToken);
        }

        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (File.Exists(pidFile))
        {
            var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
            if (lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var runningPort)
                && await CanConnectAsync(runningPort, cancellationToken))
            {
                return new EmbeddedPostgres(binDir, dataDirectory, runningPort, runAs, ownsServer: false, deleteOnDispose: false);
            }
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(binDir, "initdb"),
                ["-D", dataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], runAs, cancellationToken);
        }

        var port = FreePort();
        var serverOptions = $"-p {port} -h 127.0.0.1 -k {dataDirectory} -c max_connections=200 -c shared_buffers=256MB"
                            + (ephemeral ? " -F -c synchronous_commit=off -c full_page_writes=off" : "");
        await RunAsync(Path.Combine(binDir, "pg_ctl"),
            ["-D", dataDirectory, "-o", serverOptions, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60", "start"], runAs, cancellationToken);

        return new EmbeddedPostgres(binDir, dataDirectory, port, runAs, ownsServer: true, deleteOnDispose: ephemeral);
    }

    /// <summary>Creates the database if it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Drops the database if it exists (closing its connections).</summary>
    public async Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ownsServer)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], _runAs, CancellationToken.None);
        if (_deleteOnDispose)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>The folder holding initdb, pg_ctl and postgres, newest major version first; null when there is none.</summary>
    public static string? FindBinaries()
    {
        var candidates = new List<string>();
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        foreach (var folder in SearchFolders)
        {
            if (folder == "/usr/lib/postgresql" && Directory.Exists(folder))
            {
                candidates.AddRange(Directory.GetDirectories(folder)
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin")));
            }
            else
            {
                candidates.Add(folder);
            }
        }

        return candidates.FirstOrDefault(dir =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres")))
            is { } found ? ResolveLinks(found) : null;
    }

    private static string ResolveLinks(string dir)
    {
        var initdb = new FileInfo(Path.Combine(dir, "initdb"));
        return initdb.LinkTarget is not null && initdb.ResolveLinkTarget(returnFinalTarget: true) is { } target
            ? Path.GetDirectoryName(target.FullName)!
            : dir;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && File.Exists("/proc/self/status")
        && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } uid
        && uid.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";

    private static string FindUnprivilegedUser()
    {
        var users = File.Exists("/etc/passwd") ? File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')[0]).ToHashSet() : [];
        return UnprivilegedUsers.FirstOrDefault(users.Contains)
            ?? throw new InvalidOperationException("Running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as (initdb refuses root).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1", Port = port, Username = SuperUser, Database = "postgres", Pooling = false, Timeout = 3,
            }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? runAs, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = runAs is null ? program : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (runAs is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAs);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl is given a log file (-l), so the server it starts does not hold these pipes open.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var output = (await stdout) + (await stderr);
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output.Trim()}");
        }
    }
}
