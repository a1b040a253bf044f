using System.Diagnostics;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>
/// A process the fixture started (Azurite, the Functions host), its stdout and stderr appended to a log file.
/// Stopping asks it to end (SIGTERM, as Ctrl+C or a platform shutdown would) and kills the tree only if it does not.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = "";

    public static ChildProcess Start(ProcessStartInfo start, string logPath)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = false;
        start.UseShellExecute = false;
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        log.WriteLine($"# {DateTimeOffset.UtcNow:O} {start.FileName} {string.Join(' ', start.ArgumentList)} (in {start.WorkingDirectory})");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, log) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.WriteLine(line);
        }
    }

    /// <summary>SIGTERM, then up to <paramref name="grace"/> to exit, then the whole tree is killed.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Write($"# did not stop within {grace}; killing the process tree");
            Kill();
        }
    }

    /// <summary>Ends the process and its children at once (SIGKILL), as a crash or a lost machine would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.WaitForExit(); // drains the output handlers
        lock (_gate)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }
}
