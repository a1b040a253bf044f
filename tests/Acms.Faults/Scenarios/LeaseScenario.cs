using Acms.Bench;
using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Faults.Scenarios;

/// <summary>
/// Scenario 3: the backends of a running job are terminated (<c>pg_terminate_backend</c>, as a failover or a network cut
/// would) while a second host starts the same job; then the holder's heartbeat is made stale (a host paused past the
/// lease timeout) and a third host takes over. Never two runs applying batches at once (job_run_batches ordered by
/// transaction id), the second host is turned away while the lease is fresh, and the end state = the clean run.
/// </summary>
public sealed class LeaseScenario : IScenario
{
    public string Key => "lease";
    public string Title => "3. lease connection killed mid-run while a second run starts";

    public async Task RunAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct)
    {
        var name = $"faults_lease_{job}";
        var cs = run.Server.ConnectionString(name);
        await using (var db = await run.CopyAsync(name, ct))
        {
            await using var first = JobHost.Build(cs, run.Settings);
            await using var second = JobHost.Build(cs, run.Settings);
            await using var third = JobHost.Build(cs, run.Settings);
            var a = first.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Timer, false, ct);
            if (await FaultRun.WaitForAsync(db, Work.RunningSql, 1, () => a.IsCompleted, ct))
            {
                result.Injections++;
                await TerminateOthersAsync(db, ct);
                db.Clear(); // the suite's own idle connections were terminated too
                var b = await second.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Http, false, ct);
                result.Figures["second run while the lease is fresh"] = b.Status.ToString().ToLowerInvariant();
                if (b.Status != JobRunStatus.Skipped && !a.IsCompleted)
                {
                    result.Violations.Add($"a second run was not turned away while the first held a fresh lease: {b.Status}");
                }
            }

            if (!a.IsCompleted)
            {
                // The first host stalls past the lease timeout (its heartbeat ages); a third host takes the job over.
                result.Injections++;
                await EndState.AgeLeaseAsync(db, job, ct);
                var c = await third.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Timer, false, ct);
                result.Figures["third run after the heartbeat went stale"] = c.Status.ToString().ToLowerInvariant();
            }

            var outcome = await a;
            result.Figures["first run"] = outcome.Status.ToString().ToLowerInvariant() + (outcome.Error is { } e && e.StartsWith("lease lost", StringComparison.Ordinal) ? " (lease lost)" : "");

            // A normal run finishes whatever a stopped run left (its lease aged past the timeout first).
            await EndState.AgeLeaseAsync(db, job, ct);
            await using (var last = JobHost.Build(cs, run.Settings))
            {
                var final = await last.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, ct);
                if (final.Status != JobRunStatus.Succeeded)
                {
                    result.Violations.Add($"the normal run afterwards: {final.Status} {final.Error}");
                }
            }

            result.Figures["batch records"] = await EndState.BatchRecordsAsync(db, ct);
            await run.CheckAsync(db, job, result, ct);
        }

        await run.Server.DropAsync(name, ct);
    }

    private static async Task TerminateOthersAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", c);
        await cmd.ExecuteScalarAsync(ct);
    }
}
