using System.Net;
using Acms.EndToEnd.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Acms.EndToEnd.Faults;

/// <summary>
/// Fault scenario 4 over real HTTP on the real Functions host: 50 manual runs of each job at once. Exactly one executes,
/// the other 49 answer 409 <c>already_running</c> naming it, and the ledger holds the same: one executed run, 49 skipped.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class ConcurrentHttpRunsTests(FunctionsHost host, ITestOutputHelper output)
{
    private const int Calls = 50;

    [SkippableTheory]
    [InlineData("decay")]
    [InlineData("dedup")]
    [InlineData("cleanup")]
    [InlineData("topic_extraction")]
    [InlineData("insight_generation")]
    [InlineData("weekly_report")]
    public async Task Fifty_concurrent_manual_runs_execute_exactly_once_and_the_ledger_agrees(string job)
    {
        host.RequireHost();
        await using var paused = await E2e.PausedAsync(host, job, "concurrent runs");
        var db = host.Database.DataSource;

        // The ledger is locked while the 50 requests arrive, so the winner is still running when the last one asks
        // (the lease is taken before the ledger is written); released once all 50 wait on it.
        await using var blocker = await db.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE job_runs IN SHARE ROW EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync();
        var calls = Enumerable.Range(0, Calls).Select(_ => host.Client.PostAnswerAsync($"api/v2/jobs/{job}/run")).ToList();
        await E2e.WaitForAsync("50 runs waiting on the ledger", TimeSpan.FromSeconds(90), async () =>
            await E2e.ScalarAsync<long>(db, "SELECT count(*) FROM pg_locks WHERE relation = 'job_runs'::regclass AND NOT granted") >= Calls
            || calls.Any(c => c.IsCompleted));
        await transaction.CommitAsync();
        var answers = await Task.WhenAll(calls);

        var executed = answers.Where(a => a.Status != HttpStatusCode.Conflict).ToList();
        var conflicts = answers.Where(a => a.Status == HttpStatusCode.Conflict).ToList();
        output.WriteLine($"{job}: {answers.Length} calls, {executed.Count} executed ({string.Join(", ", executed.Select(a => (int)a.Status))}), {conflicts.Count} × 409");
        var winner = Assert.Single(executed);
        Assert.True(winner.Status == HttpStatusCode.OK, winner.ToString());
        var winnerId = winner.Data.GetProperty("run_id").GetGuid();
        Assert.All(conflicts, c =>
        {
            Assert.Equal("application/problem+json", c.MediaType);
            Assert.Equal("already_running", c.Json.GetProperty("code").GetString());
            Assert.Equal(winnerId, c.Json.GetProperty("running_run_id").GetGuid());
        });

        var skippedIds = conflicts.Select(c => c.Json.GetProperty("run_id").GetGuid()).ToArray();
        Assert.Equal(Calls - 1, await E2e.ScalarAsync<long>(db,
            "SELECT count(*) FROM job_runs WHERE job_run_id = ANY(@skippedIds) AND status = 'skipped' AND trigger = 'http'", new { skippedIds }));
        Assert.Equal("succeeded", await E2e.ScalarAsync<string>(db, "SELECT status FROM job_runs WHERE job_run_id = @winnerId", new { winnerId }));
    }
}
