using Acms.Bench;
using Acms.Bench.Cases;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Tests.Jobs.Leases;

/// <summary>
/// The lease through PgBouncer in transaction pool mode, where a session advisory lock would be taken on one server
/// connection and "held" by whichever client transaction lands there next: every lease statement is its own round
/// trip, and the fence runs inside the batch's transaction, so the lease keeps its guarantees behind the pooler.
/// </summary>
public sealed class PgBouncerTests : DatabaseTest
{
    private PgBouncer _bouncer = null!;
    private string _pooled = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _bouncer = await PgBouncer.StartAsync(Db.ConnectionString);
        _pooled = _bouncer.ConnectionString(Db.ConnectionString);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(BatchingJob.ProbeTable);
    }

    public override async Task DisposeAsync()
    {
        await _bouncer.DisposeAsync();
        await base.DisposeAsync();
    }

    private ServiceProvider Build(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["ConnectionStrings:Acms"] = _pooled };
        return TestHost.Build(Db, TimeProvider.System, values, (services, configuration) =>
            services.AddJob<BatchingJob, BatchingOptions>(configuration, BatchingJob.Definition));
    }

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task WaitUntilAsync(string sql)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await ScalarAsync<bool>(sql))
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException(sql);
    }

    [Fact]
    public async Task Two_open_client_connections_share_one_server_backend_which_is_transaction_pooling()
    {
        await using var pooled = NpgsqlDataSource.Create(_pooled);
        await using var a = await pooled.OpenConnectionAsync();
        await using var b = await pooled.OpenConnectionAsync();

        // Direct connections each have their own backend; behind the pooler an idle client holds no server connection.
        var first = await a.ExecuteScalarAsync<int>("SELECT pg_backend_pid()");
        var second = await b.ExecuteScalarAsync<int>("SELECT pg_backend_pid()");
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_run_acquires_renews_and_releases_its_lease_and_fences_every_batch()
    {
        await using var services = Build(new Dictionary<string, string?>
        {
            ["Jobs:Batching:Batches"] = "30", ["Jobs:Batching:PauseMs"] = "40",
            ["Jobs:Lease:HeartbeatInterval"] = "00:00:00.100", ["Jobs:Lease:Timeout"] = "00:02:00",
        });
        var run = services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);
        await WaitUntilAsync("SELECT count(*) >= 2 FROM lease_probe");
        var early = await ScalarAsync<DateTime>("SELECT heartbeat_at FROM job_leases WHERE job_name = 'batching'");
        await WaitUntilAsync("SELECT count(*) >= 10 FROM lease_probe");
        var later = await ScalarAsync<DateTime>("SELECT heartbeat_at FROM job_leases WHERE job_name = 'batching'");
        var done = await run;

        Assert.Equal((JobRunStatus.Succeeded, 30L), (done.Status, done.AffectedCount));
        Assert.True(later > early, $"heartbeat not renewed: {early:O} then {later:O}");
        var token = await ScalarAsync<long>("SELECT fencing_token FROM job_leases WHERE job_name = 'batching'");
        Assert.Equal(30L, await ScalarAsync<long>("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId AND fencing_token = @token", new { done.RunId, token }));
        Assert.Null(await ScalarAsync<DateTime?>("SELECT heartbeat_at FROM job_leases WHERE job_name = 'batching'")); // released
    }

    [Fact]
    public async Task A_second_concurrent_run_is_skipped_and_names_the_holder()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Batching:Batches"] = "40", ["Jobs:Batching:PauseMs"] = "40" });
        var runner = services.GetRequiredService<JobRunner>();
        var first = runner.RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);
        await WaitUntilAsync("SELECT count(*) >= 2 FROM lease_probe");

        var seconds = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => runner.RunAsync("batching", JobTrigger.Http, false, CancellationToken.None)));
        var done = await first;

        Assert.Equal(JobRunStatus.Succeeded, done.Status);
        Assert.All(seconds, s => Assert.Equal((JobRunStatus.Skipped, done.RunId), (s.Status, s.RunningRunId)));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(DISTINCT run_id) FROM lease_probe"));
        Assert.Equal(10L, await ScalarAsync<long>("SELECT count(*) FROM job_runs WHERE job_name = 'batching' AND status = 'skipped'"));
    }

    [Fact]
    public async Task A_run_whose_lease_row_is_stolen_stops_before_its_next_batch()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Batching:Batches"] = "300", ["Jobs:Batching:PauseMs"] = "20" });
        var run = services.GetRequiredService<JobRunner>().RunAsync("batching", JobTrigger.Timer, false, CancellationToken.None);
        await WaitUntilAsync("SELECT count(*) >= 3 FROM lease_probe");

        var stolenAt = await ScalarAsync<DateTime>("""
            UPDATE job_leases SET holder_run_id = gen_random_uuid(), fencing_token = fencing_token + 1, heartbeat_at = now()
            WHERE job_name = 'batching' RETURNING clock_timestamp()
            """);
        var lost = await run;

        Assert.Equal(JobRunStatus.Failed, lost.Status);
        Assert.StartsWith("lease lost", lost.Error);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM lease_probe WHERE applied_at > @stolenAt", new { stolenAt }));
        var applied = await ScalarAsync<long>("SELECT count(*) FROM lease_probe WHERE run_id = @RunId", new { lost.RunId });
        Assert.InRange(applied, 3, 299);
        Assert.Equal(applied, await ScalarAsync<long>("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { lost.RunId }));
    }

    [Fact]
    public async Task Every_job_runs_end_to_end_through_the_pooler_and_reaches_the_same_end_state_as_direct()
    {
        var size = new BenchOptions { Memories = 3_000, Users = 30, Queries = 400, Seed = 11 };
        await using var twin = await PostgresServer.CreateDatabaseAsync();
        await Dataset.BuildAsync(Db.DataSource, size, TextWriter.Null, CancellationToken.None);
        await Dataset.BuildAsync(twin.DataSource, size, TextWriter.Null, CancellationToken.None);
        var settings = new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmEnabled"] = "false" };
        string[] jobs = ["decay", "dedup", "cleanup", "topic_extraction", "insight_generation", "weekly_report"];

        await using (var pooled = JobHost.Build(_pooled, settings))
        await using (var direct = JobHost.Build(twin.ConnectionString, settings))
        {
            foreach (var job in jobs)
            {
                var viaBouncer = await pooled.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, CancellationToken.None);
                var viaServer = await direct.GetRequiredService<JobRunner>().RunAsync(job, JobTrigger.Cli, false, CancellationToken.None);
                Assert.True(viaBouncer.Status == JobRunStatus.Succeeded, $"{job} through PgBouncer: {viaBouncer.Status} {viaBouncer.Error}");
                Assert.Equal(JobRunStatus.Succeeded, viaServer.Status);
                Assert.Equal(viaServer.AffectedCount, viaBouncer.AffectedCount);
            }
        }

        Assert.Equal(await StateAsync(twin.DataSource), await StateAsync(Db.DataSource));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM job_leases WHERE heartbeat_at IS NOT NULL")); // all released
    }

    private static Task<string> StateAsync(NpgsqlDataSource db) => Fingerprint.OfTablesAsync(db, CancellationToken.None,
        ("memory_items", "SELECT m AS r FROM memory_items m"),
        ("outcomes", "SELECT o AS r FROM outcomes o"),
        ("memory_items_archive", CleanupCase.ArchiveRows("memory_items_archive")),
        ("outcomes_archive", CleanupCase.ArchiveRows("outcomes_archive")),
        ("topic_extractions", "SELECT count(*)::text AS r FROM topic_extractions"));
}
