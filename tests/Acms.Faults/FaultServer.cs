using System.Diagnostics;
using Acms.Domain.Database;
using Npgsql;

namespace Acms.Faults;

/// <summary>
/// The suite's own PostgreSQL (<see cref="EmbeddedPostgres"/> in a temporary folder), which it may restart, crash and
/// stop with <c>pg_ctl</c>: injections on a server nobody else uses. Databases are named <c>faults_*</c>.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private readonly EmbeddedPostgres _pg;
    private readonly string _binDir;
    private readonly string? _runAs;

    private FaultServer(EmbeddedPostgres pg, string binDir, string? runAs)
    {
        _pg = pg;
        _binDir = binDir;
        _runAs = runAs;
    }

    public static async Task<FaultServer> StartAsync(CancellationToken ct)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"acms-faults-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        // Durable settings (fsync, synchronous_commit, full-page writes on), as in production: an ephemeral server loses
        // its last commits in an immediate shutdown, which would look like a job losing work.
        var pg = await EmbeddedPostgres.StartAsync(dataDir, ephemeral: false, ct);
        var runAs = Environment.UserName == "root" ? await OwnerAsync(dataDir, ct) : null;
        return new FaultServer(pg, EmbeddedPostgres.FindBinaries()!, runAs);
    }

    public string ConnectionString(string database) => _pg.ConnectionString(database);

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_pg.ConnectionString()) { Pooling = false }.ConnectionString);
        await c.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A file-level copy of <paramref name="template"/> (no connection to it may be open).</summary>
    public async Task CloneAsync(string template, string database, CancellationToken ct)
    {
        await DropAsync(database, ct);
        await ExecuteAsync("CHECKPOINT", ct);
        await ExecuteAsync($"CREATE DATABASE {Guard(database)} TEMPLATE {Guard(template)} STRATEGY FILE_COPY", ct);
    }

    public async Task DropAsync(string database, CancellationToken ct)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Guard(database)} WITH (FORCE)", ct);
    }

    /// <summary><c>pg_ctl restart -m fast</c> (clean shutdown, sessions told) or <c>-m immediate</c> (a crash: WAL recovery at start).</summary>
    public Task RestartAsync(string mode, CancellationToken ct) => PgCtlAsync(["restart", "-m", mode, "-w", "-t", "120"], ct);

    public Task StopAsync(string mode, CancellationToken ct) => PgCtlAsync(["stop", "-m", mode, "-w", "-t", "120"], ct);

    /// <summary>Starts the server again with the options it last ran with (pg_ctl keeps them in postmaster.opts).</summary>
    public async Task StartAgainAsync(CancellationToken ct)
    {
        var opts = await File.ReadAllTextAsync(Path.Combine(_pg.DataDirectory, "postmaster.opts"), ct);
        // "…/postgres" "-D" "dir" "-p" "5433" … : everything after the program is handed back as server options.
        var options = opts[(opts.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        await PgCtlAsync(["start", "-o", options, "-l", Path.Combine(_pg.DataDirectory, "server.log"), "-w", "-t", "120"], ct);
    }

    private Task PgCtlAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _pg.DataDirectory, .. arguments], _runAs, ct);

    private static string Guard(string database) =>
        database.StartsWith("faults_", StringComparison.Ordinal) && database.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_')
            ? database
            : throw new ArgumentException($"The fault suite only touches databases named faults_*: '{database}'.");

    private static async Task<string> OwnerAsync(string path, CancellationToken ct)
    {
        var start = new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(start)!;
        var owner = (await p.StandardOutput.ReadToEndAsync(ct)).Trim();
        await p.WaitForExitAsync(ct);
        return owner;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? runAs, CancellationToken ct)
    {
        var start = new ProcessStartInfo { FileName = runAs is null ? program : "runuser", UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        if (runAs is not null)
        {
            foreach (var a in new[] { "-u", runAs, "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', arguments)} failed ({p.ExitCode}): {await stdout}{await stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _pg.DisposeAsync();
        Directory.Delete(_pg.DataDirectory, recursive: true);
    }
}
