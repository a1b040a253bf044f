using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>
/// A real PgBouncer (Debian package <c>pgbouncer</c>) in <b>transaction</b> pool mode in front of the test server, as
/// Azure Database for PostgreSQL offers it on port 6432: every transaction may run on a different server connection,
/// so session state (advisory locks, session <c>SET</c>, named prepared statements) does not survive between them.
/// Run as an unprivileged user when the tests run as root (PgBouncer refuses root). Trust auth on loopback only.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/pgbouncer";

    private readonly Process _process;
    private readonly string _folder;

    private PgBouncer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// The connection string a client uses through the pooler: the database's own, pointed at PgBouncer, with the settings
    /// transaction pooling needs (no <c>DISCARD ALL</c> on close, no automatic prepared statements).
    /// </summary>
    public string ConnectionString(string direct) => new NpgsqlConnectionStringBuilder(direct)
    {
        Port = Port,
        NoResetOnClose = true,
        MaxAutoPrepare = 0,
    }.ConnectionString;

    public static async Task<PgBouncer> StartAsync(string directConnectionString)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install the Debian package pgbouncer (.ci/run does).");
        }

        var server = new NpgsqlConnectionStringBuilder(directConnectionString);
        var folder = Path.Combine(Path.GetTempPath(), $"acms-pgbouncer-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "userlist.txt"), $"\"{server.Username}\" \"\"\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "pgbouncer.ini"), $"""
            [databases]
            * = host={server.Host} port={server.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {folder}/userlist.txt
            pool_mode = transaction
            max_client_conn = 500
            default_pool_size = 20
            ignore_startup_parameters = extra_float_digits
            logfile = {folder}/pgbouncer.log

            """);
        var root = Environment.UserName == "root";
        if (root && OperatingSystem.IsLinux())
        {
            // The unprivileged user must be able to read its config and write its log.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
            foreach (var file in Directory.GetFiles(folder))
            {
                File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
            }
        }

        var start = new ProcessStartInfo { FileName = root ? "runuser" : Binary, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (root)
        {
            foreach (var a in new[] { "-u", UnprivilegedUser(), "--", Binary })
            {
                start.ArgumentList.Add(a);
            }
        }

        start.ArgumentList.Add(Path.Combine(folder, "pgbouncer.ini"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pgbouncer.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var bouncer = new PgBouncer(process, folder, port);
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"pgbouncer exited with {process.ExitCode}: {ReadLog(folder)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return bouncer;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await bouncer.DisposeAsync();
        throw new TimeoutException($"pgbouncer did not listen on {port}: {ReadLog(folder)}");
    }

    private static string ReadLog(string folder) =>
        File.Exists(Path.Combine(folder, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(folder, "pgbouncer.log")) : "";

    private static string UnprivilegedUser() =>
        File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')[0]).FirstOrDefault(u => u is "postgres" or "nobody")
        ?? throw new InvalidOperationException("Running as root and no 'postgres' or 'nobody' user to run pgbouncer as.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_process.HasExited)
        {
            // runuser forwards SIGTERM to pgbouncer; killing the tree covers a runuser that does not.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
