using System.Diagnostics;
using Acms.Bench;
using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Faults;

/// <summary>
/// A job run in a process of its own, which the suite kills with SIGKILL. The child builds the domain's real service
/// graph (<c>AddAcmsDomain</c>, <see cref="JobRunner"/>, trigger cli — what <c>acms jobs run</c> does) with the clock pinned
/// to the dataset's "now": the CLI runs on the wall clock, and a decay run a minute later decays other rows, so its
/// end state could not be compared with the twin's.
/// </summary>
public sealed class JobProcess : IDisposable
{
    public const string Mode = "job";

    private readonly Process _process;

    /// <summary>The line the child writes once its services are built, just before the run starts.</summary>
    private const string RunningLine = "running";

    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private JobProcess(Process process) => _process = process;

    /// <summary>Completes when the run starts, after the child's process start-up (or when the child exits first).</summary>
    public Task Running => _running.Task;

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static JobProcess Start(string job, string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(JobProcess).Assembly.Location);
        }

        start.ArgumentList.Add(Mode);
        start.ArgumentList.Add(job);
        start.ArgumentList.Add(connectionString);
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the job process.");
        var child = new JobProcess(process);
        // Each stream is read on a thread of its own: on Linux an async read of a child's redirected output holds a
        // thread-pool thread until data comes (dotnet/runtime#81896), and the live-traffic writer's continuations run on
        // that pool. (Measured: the writer's bursts of stalls during a job were the same either way.)
        Read(child.WatchOutput);
        Read(() => process.StandardError.ReadToEnd());
        return child;
    }

    private static void Read(Action read) => new Thread(new ThreadStart(read)) { IsBackground = true, Name = "job-process-output" }.Start();

    private void WatchOutput()
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line == RunningLine)
            {
                _running.TrySetResult();
            }
        }

        _running.TrySetResult();
    }

    /// <summary>SIGKILL: no finally block, no ledger write, no lease release runs.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the check and the kill.
        }

        await _process.WaitForExitAsync();
    }

    public Task WaitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public void Dispose() => _process.Dispose();

    /// <summary>The child's entry: <c>job &lt;name&gt; &lt;connection string&gt; [key=value …]</c>; exit 0 succeeded, 1 failed, 2 skipped.</summary>
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args)
    {
        var settings = args.Skip(3).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
        await using var services = JobHost.Build(args[2], settings);
        Console.WriteLine(RunningLine);
        var result = await services.GetRequiredService<JobRunner>().RunAsync(args[1], JobTrigger.Cli, dryRun: false, CancellationToken.None);
        Console.WriteLine($"{result.Job} {result.Status} {result.AffectedCount} {result.Error}");
        return result.Status switch { JobRunStatus.Succeeded => 0, JobRunStatus.Skipped => 2, _ => 1 };
    }
}
