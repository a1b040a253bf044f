using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Leases;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Acms.Tests.Jobs.Leases;

public sealed class JobLeaseTests : DatabaseTest
{
    private ServiceProvider Build(IDictionary<string, string?>? settings = null) =>
        TestHost.Build(Db, TimeProvider.System, settings, (services, configuration) =>
            services.AddJob<BatchingJob, BatchingOptions>(configuration, BatchingJob.Definition));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(BatchingJob.ProbeTable);
    }

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task ExecAsync(string sql, object? args = null)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }

    private async Task WaitUntilAsync(string sql, object? args = null)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await ScalarAsync<bool>(sql, args))
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException(sql);
    }

    [Fact]
    public async Task A_refused_run_still_learns_the_holder_when_the_holder_has_released_before_it_asks()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var (holder, refused) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var now = DateTime.UtcNow;
        var lease = await JobLease.TryAcquireAsync(connection, "batching", holder, "host-a", now, TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.NotNull(lease);
        Assert.Null(await JobLease.TryAcquireAsync(connection, "batching", refused, "host-b", now, TimeSpan.FromMinutes(2), CancellationToken.None));

        await lease.ReleaseAsync(connection, CancellationToken.None); // a short run ends between the refusal and the question

        Assert.Equal(holder, await JobLease.FindHolderAsync(connection, "batching", CancellationToken.None));
        Assert.NotNull(await JobLease.TryAcquireAsync(connection, "batching", refused, "host-b", now, TimeSpan.FromMinutes(2), CancellationToken.None));
    }

    [Fact]
    public async Task A_fresh_lease_keeps_a_second_run_out_and_names_the_holder()
    {
        await using var services = Build();
        var runner = services.GetRequiredService<JobRunner>();
        var first = runner.RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);
        await WaitUntilAsync("SELECT EXISTS (SELECT 1 FROM lease_probe)");

        var second = await runner.RunAsync("batching", JobTrigger.Http, false, CancellationToken.None);

        var holder = await ScalarAsync<Guid>("SELECT DISTINCT run_id FROM lease_probe");
        Assert.Equal((JobRunStatus.Skipped, holder), (second.Status, second.RunningRunId));
        Assert.Equal(JobRunStatus.Succeeded, (await first).Status);
        // Released: no heartbeat, so the next run takes it; the last holder stays named for a run refused meanwhile.
        Assert.Null(await ScalarAsync<DateTime?>("SELECT heartbeat_at FROM job_leases WHERE job_name = 'batching'"));
        Assert.Equal(holder, await ScalarAsync<Guid>("SELECT holder_run_id FROM job_leases WHERE job_name = 'batching'"));
    }

    [Fact]
    public async Task A_stale_lease_is_taken_over_with_a_new_token_and_its_run_is_marked_abandoned()
    {
        var dead = Guid.NewGuid();
        await ExecAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at) VALUES (@dead, 'batching', 'timer', 'running', now() - interval '10 minutes');
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, acquired_at, heartbeat_at) VALUES ('batching', @dead, 7, now() - interval '10 minutes', now() - interval '3 minutes');
            """, new { dead });
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Batching:Batches"] = "2", ["Jobs:Batching:PauseMs"] = "0" });

        var next = await services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, next.Status);
        Assert.Equal("abandoned", await ScalarAsync<string>("SELECT status FROM job_runs WHERE job_run_id = @dead", new { dead }));
        Assert.Equal(8L, await ScalarAsync<long>("SELECT fencing_token FROM job_leases WHERE job_name = 'batching'"));
        Assert.Equal(8L, await ScalarAsync<long>("SELECT DISTINCT fencing_token FROM job_run_batches WHERE job_run_id = @RunId", new { next.RunId }));
    }

    [Fact]
    public async Task A_lease_with_a_fresh_heartbeat_is_never_taken_over_even_when_its_ledger_row_looks_old()
    {
        var alive = Guid.NewGuid();
        await ExecAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at) VALUES (@alive, 'batching', 'timer', 'running', now() - interval '1 day');
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, acquired_at, heartbeat_at) VALUES ('batching', @alive, 1, now() - interval '1 day', now());
            """, new { alive });
        await using var services = Build();

        var next = await services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);

        Assert.Equal((JobRunStatus.Skipped, alive), (next.Status, next.RunningRunId));
        Assert.Equal("running", await ScalarAsync<string>("SELECT status FROM job_runs WHERE job_run_id = @alive", new { alive }));
    }

    [Fact]
    public async Task A_run_that_lost_its_lease_applies_no_further_batch_and_is_recorded_failed_with_its_committed_work()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Batching:Batches"] = "200", ["Jobs:Batching:PauseMs"] = "20" });
        var run = services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);
        await WaitUntilAsync("SELECT count(*) >= 3 FROM lease_probe");

        // Another run takes the job over (as it would once this run's heartbeat went stale).
        var thief = Guid.NewGuid();
        var stolenAt = await ScalarAsync<DateTime>("""
            UPDATE job_leases SET holder_run_id = @thief, fencing_token = fencing_token + 1, heartbeat_at = now()
            WHERE job_name = 'batching' RETURNING clock_timestamp()
            """, new { thief });
        var lost = await run;

        Assert.Equal(JobRunStatus.Failed, lost.Status);
        Assert.StartsWith("lease lost", lost.Error);
        var applied = await ScalarAsync<long>("SELECT count(*) FROM lease_probe WHERE run_id = @RunId", new { lost.RunId });
        Assert.Equal(applied, lost.AffectedCount);
        Assert.InRange(applied, 3, 199);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM lease_probe WHERE applied_at > @stolenAt", new { stolenAt }));
        Assert.Equal(applied, await ScalarAsync<long>("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal("failed", await ScalarAsync<string>("SELECT status FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(applied, await ScalarAsync<long>("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId", new { lost.RunId }));
        // The thief's lease is untouched by the loser's release.
        Assert.Equal(thief, await ScalarAsync<Guid>("SELECT holder_run_id FROM job_leases WHERE job_name = 'batching'"));
    }

    [Fact]
    public async Task A_batch_fenced_by_a_stale_token_is_rolled_back_whole()
    {
        await using var services = Build();
        var batches = services.GetRequiredService<JobBatches>();
        await ExecAsync("INSERT INTO job_leases (job_name, holder_run_id, fencing_token, heartbeat_at) VALUES ('batching', gen_random_uuid(), 5, now())");
        var context = new JobContext(Guid.NewGuid(), JobTrigger.Cli, false, DateTime.UtcNow) { Lease = new JobLease("batching", Guid.NewGuid(), 4, TimeSpan.FromMinutes(2)) };

        await Assert.ThrowsAsync<LeaseLostException>(() => batches.ApplyAsync(context, (c, tx, ct) =>
            c.ExecuteAsync(new CommandDefinition("INSERT INTO lease_probe (run_id, batch) VALUES (@RunId, 1)", new { context.RunId }, tx, cancellationToken: ct)),
            r => r, CancellationToken.None));

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM lease_probe"));
    }

    [Fact]
    public async Task A_batch_of_a_run_whose_heartbeat_went_stale_is_refused_even_before_a_takeover()
    {
        await using var services = Build();
        var batches = services.GetRequiredService<JobBatches>();
        var holder = Guid.NewGuid();
        await ExecAsync("INSERT INTO job_leases (job_name, holder_run_id, fencing_token, heartbeat_at) VALUES ('batching', @holder, 3, now() - interval '5 minutes')", new { holder });
        var context = new JobContext(holder, JobTrigger.Cli, false, DateTime.UtcNow) { Lease = new JobLease("batching", holder, 3, TimeSpan.FromMinutes(2)) };

        await Assert.ThrowsAsync<LeaseLostException>(() => batches.ApplyAsync(context, (c, tx, ct) =>
            c.ExecuteAsync(new CommandDefinition("INSERT INTO lease_probe (run_id, batch) VALUES (@RunId, 1)", new { context.RunId }, tx, cancellationToken: ct)),
            r => r, CancellationToken.None));

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM lease_probe"));
    }

    [Fact]
    public async Task Killing_every_backend_of_a_running_job_does_not_hand_its_lease_to_another_run()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Batching:Batches"] = "60", ["Jobs:Batching:PauseMs"] = "20" });
        var runner = services.GetRequiredService<JobRunner>();
        var run = runner.RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);
        await WaitUntilAsync("SELECT count(*) >= 3 FROM lease_probe");

        await ExecAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        var second = await runner.RunAsync("batching", JobTrigger.Http, false, CancellationToken.None);
        var first = await run;

        Assert.Equal(JobRunStatus.Skipped, second.Status);
        Assert.Equal((JobRunStatus.Succeeded, 60L), (first.Status, first.AffectedCount));
        Assert.Equal(60L, await ScalarAsync<long>("SELECT count(DISTINCT batch) FROM lease_probe WHERE run_id = @RunId", new { first.RunId }));
    }

    [Fact]
    public async Task When_a_host_starts_runs_whose_lease_went_stale_are_marked_abandoned_and_live_ones_are_not()
    {
        var (dead, alive) = (Guid.NewGuid(), Guid.NewGuid());
        await ExecAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at) VALUES
                (@dead, 'decay', 'timer', 'running', now() - interval '1 hour'),
                (@alive, 'dedup', 'timer', 'running', now() - interval '1 hour');
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, heartbeat_at) VALUES
                ('decay', @dead, 1, now() - interval '5 minutes'),
                ('dedup', @alive, 1, now());
            """, new { dead, alive });
        await using var services = Build();

        await services.GetServices<IHostedService>().OfType<StaleRunRecovery>().Single().RecoverOnceAsync(CancellationToken.None);

        Assert.Equal("abandoned", await ScalarAsync<string>("SELECT status FROM job_runs WHERE job_run_id = @dead", new { dead }));
        Assert.Equal("running", await ScalarAsync<string>("SELECT status FROM job_runs WHERE job_run_id = @alive", new { alive }));
    }

    [Fact]
    public async Task A_batch_in_flight_keeps_a_second_run_out_at_once()
    {
        // A live run whose batch is held up (a table lock, a slow statement) past the lease timeout: its committed
        // heartbeat looks stale, but its batch's transaction holds the lease row it renewed.
        var live = Guid.NewGuid();
        await ExecAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at) VALUES (@live, 'batching', 'timer', 'running', now() - interval '1 hour');
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, heartbeat_at) VALUES ('batching', @live, 4, now() - interval '5 minutes');
            """, new { live });
        await using var batch = await Db.DataSource.OpenConnectionAsync();
        await using var inFlight = await batch.BeginTransactionAsync();
        await batch.ExecuteAsync("UPDATE job_leases SET fencing_token = fencing_token WHERE job_name = 'batching'", transaction: inFlight);
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Batching:Batches"] = "1", ["Jobs:Batching:PauseMs"] = "0" });

        // Before SKIP LOCKED the second run waited on the row lock until the batch committed: here, forever.
        var second = await services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Http, false, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(JobRunStatus.Skipped, second.Status);
        await inFlight.CommitAsync();
        Assert.Equal(live, await ScalarAsync<Guid>("SELECT holder_run_id FROM job_leases WHERE job_name = 'batching'"));
    }

    [Fact]
    public void The_lease_timeout_must_leave_room_for_three_heartbeats()
    {
        var options = new JobLeaseOptions { Timeout = TimeSpan.FromSeconds(20), HeartbeatInterval = TimeSpan.FromSeconds(10) };
        Assert.Contains(options.Validate(new(options)), r => r.MemberNames.Contains(nameof(JobLeaseOptions.Timeout)));
    }
}
