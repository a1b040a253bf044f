using System.Net;
using Acms.EndToEnd.Infrastructure;
using Npgsql;

namespace Acms.EndToEnd;

/// <summary>Killing the host mid-run (SIGKILL, host and worker) leaves nothing "running" once the host is back (its lease goes stale after Jobs__Lease__Timeout).</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class RecoveryTests(FunctionsHost host)
{
    [SkippableFact]
    public async Task A_run_killed_with_the_host_is_marked_abandoned_when_the_host_starts_again()
    {
        host.RequireHost();
        await using var paused = await E2e.PausedAsync(host, "decay");
        await E2e.SeedDecayableMemoriesAsync(host.Database.DataSource, 4);
        var db = host.Database.DataSource;

        Guid runId;
        await using (var blocker = await db.OpenConnectionAsync())
        {
            // The run's first batch waits at this lock, so the run is surely mid-way when the host dies.
            await using var transaction = await blocker.BeginTransactionAsync();
            await new NpgsqlCommand("LOCK TABLE memory_items IN SHARE ROW EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync();
            var request = host.Client.PostAnswerAsync("api/v2/jobs/decay/run");
            await E2e.WaitForAsync("the manual decay run to be running", TimeSpan.FromSeconds(60), async () =>
                await E2e.ScalarAsync<long>(db, "SELECT count(*) FROM job_runs WHERE job_name = 'decay' AND trigger = 'http' AND status = 'running'") > 0);
            runId = await E2e.ScalarAsync<Guid>(db, "SELECT job_run_id FROM job_runs WHERE job_name = 'decay' AND status = 'running'");

            host.KillHost();
            await Assert.ThrowsAnyAsync<Exception>(() => request); // the connection died with the host
            await transaction.RollbackAsync();
        }

        Assert.Equal("running", await E2e.ScalarAsync<string>(db, "SELECT status FROM job_runs WHERE job_run_id = @runId", new { runId }));

        await host.StartHostAsync();

        // Recovered by the new host as it starts (the job is paused: no run of it does this): nothing is left "running".
        await E2e.WaitForAsync("the killed run to be marked abandoned", TimeSpan.FromSeconds(60), async () =>
            await E2e.ScalarAsync<string>(db, "SELECT status FROM job_runs WHERE job_run_id = @runId", new { runId }) == "abandoned");
        Assert.Equal(0, await E2e.ScalarAsync<long>(db, "SELECT count(*) FROM job_runs WHERE status = 'running' AND job_name = 'decay'"));
        var decay = await E2e.JobStatusAsync(host, "decay");
        Assert.False(decay.GetProperty("running").GetBoolean());
        Assert.True(decay.GetProperty("paused").GetBoolean()); // the pause is in the database: it survived the restart
        var again = await host.Client.PostAnswerAsync("api/v2/jobs/decay/run");
        Assert.True(again.Status == HttpStatusCode.OK, again.ToString());
    }
}
