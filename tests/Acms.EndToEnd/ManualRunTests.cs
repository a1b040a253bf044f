using System.Net;
using Acms.EndToEnd.Infrastructure;
using Npgsql;

namespace Acms.EndToEnd;

/// <summary>Manual runs over real HTTP: one runner per job, live progress while a run works, a failure visible in the answer and the ledger.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class ManualRunTests(FunctionsHost host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Two_concurrent_manual_runs_answer_one_200_and_one_409_naming_the_running_run()
    {
        host.RequireHost();
        await using var paused = await E2e.PausedAsync(host, "decay");
        await E2e.SeedDecayableMemoriesAsync(host.Database.DataSource, 4);

        // Hold decay's first batch at a table lock, so the first run is surely still running when the second arrives.
        await using var blocker = await host.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE memory_items IN SHARE ROW EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync();
        var first = host.Client.PostAnswerAsync("api/v2/jobs/decay/run");
        var second = host.Client.PostAnswerAsync("api/v2/jobs/decay/run");
        var loser = await Task.WhenAny(first, second);
        await transaction.CommitAsync();
        var answers = new[] { await first, await second };

        var ok = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        var conflict = Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
        Assert.Same(conflict, await loser); // the 409 came while the other run was held, not after it
        Assert.Equal("application/problem+json", conflict.MediaType);
        Assert.Equal("already_running", conflict.Json.GetProperty("code").GetString());
        var winner = ok.Data.GetProperty("run_id").GetString();
        Assert.Equal(winner, conflict.Json.GetProperty("running_run_id").GetString());
        Assert.True(ok.Data.GetProperty("affected_count").GetInt64() >= 4, ok.ToString()); // ours, and any other test's left eligible
        var skipped = conflict.Json.GetProperty("run_id").GetGuid();
        Assert.Equal("skipped", await E2e.ScalarAsync<string>(host.Database.DataSource, "SELECT status FROM job_runs WHERE job_run_id = @skipped", new { skipped }));
    }

    [SkippableFact]
    public async Task A_running_run_shows_live_progress_in_status_and_in_its_run_and_its_result_when_done()
    {
        host.RequireHost();
        await using var paused = await E2e.PausedAsync(host, "decay");
        await E2e.SeedDecayableMemoriesAsync(host.Database.DataSource, 10);
        // Each decayed row takes 0.2 s: five batches of two (Jobs__Decay__BatchSize=2) take about two seconds.
        await E2e.ExecuteAsync(host.Database.DataSource, """
            CREATE OR REPLACE FUNCTION e2e_slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$;
            CREATE TRIGGER e2e_slow_row BEFORE UPDATE ON memory_items FOR EACH ROW EXECUTE FUNCTION e2e_slow_row();
            """);
        try
        {
            var run = host.Client.PostAnswerAsync("api/v2/jobs/decay/run");
            System.Text.Json.JsonElement running = default;
            await E2e.WaitForAsync("a batch of the running decay run in the status", Patience, async () =>
            {
                var decay = await E2e.JobStatusAsync(host, "decay");
                running = decay.GetProperty("running_run");
                return decay.GetProperty("running").GetBoolean() && running.ValueKind == System.Text.Json.JsonValueKind.Object
                       && running.GetProperty("progress").GetProperty("batches").GetInt64() >= 1;
            });
            var progress = running.GetProperty("progress");
            Assert.Equal("http", running.GetProperty("trigger").GetString());
            Assert.InRange(progress.GetProperty("batches").GetInt64(), 1, 4);
            Assert.Equal(2 * progress.GetProperty("batches").GetInt64(), progress.GetProperty("rows").GetInt64());
            Assert.True(progress.GetProperty("elapsed_ms").GetDouble() > 0);
            var live = await host.Client.GetAnswerAsync($"api/v2/jobs/runs/{running.GetProperty("run_id").GetString()}");
            Assert.Equal("running", live.Data.GetProperty("status").GetString());
            Assert.True(live.Data.GetProperty("progress").GetProperty("last_batch_at").ValueKind == System.Text.Json.JsonValueKind.String, live.ToString());

            var done = await run;
            Assert.True(done.Status == HttpStatusCode.OK, done.ToString());
            // At least the ten seeded rows; other tests of the shared host may leave decayable rows too.
            var affected = done.Data.GetProperty("affected_count").GetInt64();
            Assert.True(affected >= 10, done.ToString());
            var finished = await host.Client.GetAnswerAsync($"api/v2/jobs/runs/{done.Data.GetProperty("run_id").GetString()}");
            Assert.Equal("succeeded", finished.Data.GetProperty("status").GetString());
            var batches = (affected + 1) / 2;
            Assert.Equal((affected, batches), (finished.Data.GetProperty("progress").GetProperty("rows").GetInt64(), finished.Data.GetProperty("progress").GetProperty("batches").GetInt64()));
            Assert.Equal(batches, finished.Data.GetProperty("result").GetProperty("batches").GetInt32());
        }
        finally
        {
            await E2e.ExecuteAsync(host.Database.DataSource, "DROP TRIGGER IF EXISTS e2e_slow_row ON memory_items");
        }
    }

    [SkippableFact]
    public async Task A_failing_run_is_a_500_naming_the_run_and_failed_in_the_ledger_without_internals_in_the_answer()
    {
        host.RequireHost();
        await using var paused = await E2e.PausedAsync(host, "decay");
        await E2e.SeedDecayableMemoriesAsync(host.Database.DataSource, 2);
        // A broken database object for this job: every update of a memory raises.
        await E2e.ExecuteAsync(host.Database.DataSource, """
            CREATE OR REPLACE FUNCTION e2e_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'e2e: memory_items is broken for this test'; END $$;
            CREATE TRIGGER e2e_broken BEFORE UPDATE ON memory_items FOR EACH ROW EXECUTE FUNCTION e2e_broken();
            """);
        Answer failed;
        try
        {
            failed = await host.Client.PostAnswerAsync("api/v2/jobs/decay/run");
        }
        finally
        {
            await E2e.ExecuteAsync(host.Database.DataSource, "DROP TRIGGER IF EXISTS e2e_broken ON memory_items");
        }

        Assert.True(failed.Status == HttpStatusCode.InternalServerError, failed.ToString());
        Assert.Equal("application/problem+json", failed.MediaType);
        Assert.Equal("run_failed", failed.Json.GetProperty("code").GetString());
        Assert.DoesNotContain("e2e: memory_items is broken", failed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", failed.Body, StringComparison.Ordinal);
        var runId = failed.Json.GetProperty("run_id").GetString();

        var run = await host.Client.GetAnswerAsync($"api/v2/jobs/runs/{runId}");
        Assert.Equal(("failed", "http"), (run.Data.GetProperty("status").GetString(), run.Data.GetProperty("trigger").GetString()));
        // The ledger carries the safe summary (code, sentence, run id), never the exception's text; the log has the rest.
        var error = run.Data.GetProperty("error").GetString();
        Assert.DoesNotContain("e2e: memory_items is broken", error, StringComparison.Ordinal);
        Assert.Contains(runId!, error, StringComparison.Ordinal);
        var listed = await host.Client.GetAnswerAsync("api/v2/jobs/runs?job=decay&status=failed");
        Assert.Contains(listed.Data.GetProperty("runs").EnumerateArray(), r => r.GetProperty("run_id").GetString() == runId);
    }
}
