using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Acms.Faults;

/// <summary>What every scenario shares: the server, the template, the settings and each job's clean reference.</summary>
public sealed class FaultRun(FaultServer server, FaultOptions options, TextWriter log)
{
    public const string Template = "faults_template";

    public FaultServer Server { get; } = server;
    public FaultOptions Options { get; } = options;
    public TextWriter Log { get; } = log;
    public Random Random { get; } = new(options.Seed);
    public IReadOnlyDictionary<string, string?> Settings { get; } = Work.Settings(options);
    public long InitialMemories { get; set; }
    public string PostgresVersion { get; set; } = "";

    /// <summary>Per job: the clean run's fingerprint, its process time, its start-up time and the committed work it did.</summary>
    public Dictionary<string, Reference> References { get; } = [];

    public sealed record Reference(string Fingerprint, TimeSpan Total, TimeSpan StartUp, long Work);

    /// <summary>A fresh copy of the template (the twin of every other copy).</summary>
    public async Task<NpgsqlDataSource> CopyAsync(string name, CancellationToken ct)
    {
        await Server.CloneAsync(Template, name, ct);
        return NpgsqlDataSource.Create(Server.ConnectionString(name));
    }

    public async Task TakeReferenceAsync(string job, CancellationToken ct)
    {
        var name = $"faults_clean_{job}";
        await using (var db = await CopyAsync(name, ct))
        {
            var before = await EndState.ScalarAsync(db, Work.CommittedSql(job), ct);
            var clock = Stopwatch.StartNew();
            using var process = JobProcess.Start(job, Server.ConnectionString(name), Settings);
            var startUp = await WaitForAsync(db, Work.RunningSql, 1, () => process.HasExited, ct) ? clock.Elapsed : TimeSpan.Zero;
            await process.WaitAsync(ct);
            var total = clock.Elapsed;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The clean run of {job} exited with {process.ExitCode}.");
            }

            var work = await EndState.ScalarAsync(db, Work.CommittedSql(job), ct) - before;
            References[job] = new Reference(await EndState.FingerprintAsync(db, ct), total, startUp == TimeSpan.Zero ? total / 2 : startUp, work);
            Log.WriteLine($"Clean {job}: {total.TotalSeconds:F1} s in a process (start-up {startUp.TotalSeconds:F1} s), {work:N0} units of committed work");
        }

        await Server.DropAsync(name, ct);
    }

    /// <summary>Polls <paramref name="sql"/> until it reaches <paramref name="atLeast"/> (true) or <paramref name="stop"/> says so (false).</summary>
    public static async Task<bool> WaitForAsync(NpgsqlDataSource db, string sql, long atLeast, Func<bool> stop, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        while (!stop())
        {
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct)) >= atLeast)
            {
                return true;
            }

            await Task.Delay(5, ct);
        }

        return false;
    }

    /// <summary>Compares a faulted copy with the clean twin and checks the invariants; adds what differs to the result.</summary>
    public async Task CheckAsync(NpgsqlDataSource db, string job, ScenarioResult result, CancellationToken ct)
    {
        if (await EndState.FingerprintAsync(db, ct) is var fingerprint && fingerprint != References[job].Fingerprint)
        {
            result.Violations.Add($"end state differs from the clean run: {fingerprint} vs {References[job].Fingerprint}");
        }

        result.Violations.AddRange(await EndState.ViolationsAsync(db, InitialMemories, ct));
    }
}
