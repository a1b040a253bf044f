using System.Diagnostics;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.TopicExtraction;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Acms.Tests.Jobs.TopicExtraction;

public sealed partial class TopicExtractionJobTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private TestDatabase _db = null!;
    private readonly FakeTimeProvider _time = new(Now);

    public async Task InitializeAsync() => _db = await PostgresServer.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private ServiceProvider Build(IDictionary<string, string?>? settings = null, IChatClient? chat = null) =>
        TestHost.Build(_db, _time, settings, (services, _) =>
        {
            if (chat is not null)
            {
                services.AddSingleton(chat);
            }
        });

    private async Task<JobRunResult> RunAsync(IDictionary<string, string?>? settings = null, IChatClient? chat = null, bool dryRun = false)
    {
        await using var services = Build(settings, chat);
        return await services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, dryRun, CancellationToken.None);
    }

    private Task<long> CountAsync(string sql, object? parameters = null) => QaSeed.ScalarAsync<long>(_db.DataSource, sql, parameters);

    [Fact]
    public async Task Extraction_picks_up_only_rows_without_an_extraction_and_never_extracts_a_row_twice()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        var ingress = await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-3), "How do I configure an ingress controller for Kubernetes?",
            "Install the NGINX ingress controller with Helm and create an Ingress resource for your Kubernetes service.");
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-2), "Why is autovacuum not keeping up on my Postgres table?",
            "Autovacuum on a busy Postgres table needs a lower scale factor and a higher cost limit.");
        var greeting = await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-1), "thanks!", "You're welcome.");

        var first = await RunAsync();
        var second = await RunAsync();
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddMinutes(-5), "How do I shrink a Docker image?", "Use a multi-stage Docker build.");
        var third = await RunAsync();

        Assert.Equal(JobRunStatus.Succeeded, first.Status);
        Assert.Equal(3, first.AffectedCount);
        Assert.Equal(1L, first.Details["trivial"]);
        Assert.Equal(0, second.AffectedCount);
        Assert.Equal(1, third.AffectedCount);
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM topic_extractions"));
        Assert.Equal(4, await CountAsync("SELECT count(DISTINCT source_id) FROM topic_extractions"));

        var topics = await QaSeed.ScalarAsync<string[]>(_db.DataSource, "SELECT topics FROM topic_extractions WHERE source_id = @ingress", new { ingress });
        Assert.InRange(topics.Length, 1, 5);
        Assert.Contains(topics, t => t.Contains("ingress", StringComparison.Ordinal) || t.Contains("kubernetes", StringComparison.Ordinal));
        Assert.All(topics, t => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", t));
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM topic_extractions WHERE source_id = @greeting AND topics = '{}' AND primary_topic IS NULL AND extraction_method = 'trivial'", new { greeting }));
    }

    [Fact]
    public async Task Extraction_goes_oldest_first_in_batches_including_rows_without_a_date_or_with_malformed_metadata()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        for (var i = 0; i < 6; i++)
        {
            await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-10 + i), $"How do I tune Redis eviction policy number {i}?", "Set maxmemory and allkeys-lru on Redis.");
        }

        await QaSeed.QueryAsync(_db.DataSource, user, null, "How do I run Kafka consumers?", "Scale Kafka consumers per partition.");
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-1), "How do I rotate TLS certificates?", "Automate TLS renewal.", rawMetadata: "\"not an object\"");
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-1), "How do I cache NuGet packages?", "Cache NuGet packages.",
            rawMetadata: """{"est_cost_usd": "lots", "privacy_level": 7}""");

        var result = await RunAsync(new Dictionary<string, string?> { ["Jobs:TopicExtraction:BatchSize"] = "1" });

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(9, result.AffectedCount);
        Assert.Equal(9, result.Details["batches"]);
        var order = await QaSeed.QueryListAsync<DateTime?>(_db.DataSource, "SELECT source_created_at FROM topic_extractions ORDER BY id");
        Assert.Null(order[0]);
        Assert.Equal(order.Skip(1).OrderBy(d => d).ToList(), order.Skip(1).ToList());
        Assert.Equal(8, await CountAsync("SELECT query_count FROM query_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000' AND day = '2026-10-23'") + 7);
    }

    [Fact]
    public async Task Rows_arriving_late_with_old_timestamps_are_picked_up_by_the_window_or_the_next_full_sweep()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 50);
        var first = await RunAsync();
        Assert.Equal(50, first.AffectedCount);
        Assert.Equal(true, first.Details["full_sweep"]);

        // Behind the watermark but inside the late-arrival window (one day): the next run picks it up.
        var slightlyLate = await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-2).AddHours(-3), "How do I tune Redis eviction?", "Set maxmemory.");
        // Far behind the watermark: only the full sweep (daily) finds it.
        var veryLate = await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-30), "How do I shrink a Docker image?", "Use a multi-stage Docker build.");

        _time.Advance(TimeSpan.FromHours(1));
        var second = await RunAsync();
        Assert.Equal(false, second.Details["full_sweep"]);
        Assert.Equal(1, second.AffectedCount);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM topic_extractions WHERE source_id = @slightlyLate", new { slightlyLate }));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM topic_extractions WHERE source_id = @veryLate", new { veryLate }));

        _time.Advance(TimeSpan.FromDays(1));
        var third = await RunAsync();
        Assert.Equal(true, third.Details["full_sweep"]);
        Assert.Equal(1, third.AffectedCount);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM topic_extractions WHERE source_id = @veryLate", new { veryLate }));
        Assert.Equal(52, await CountAsync("SELECT count(DISTINCT source_id) FROM topic_extractions"));
        Assert.Equal(52, await CountAsync("SELECT document_count FROM topic_corpus_stats"));
    }

    [Fact]
    public async Task A_killed_run_keeps_its_committed_batches_and_the_next_run_finishes_without_duplicates()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 3000);
        var settings = new Dictionary<string, string?> { ["Jobs:TopicExtraction:BatchSize"] = "50" };

        await using (var services = Build(settings))
        {
            using var kill = new CancellationTokenSource();
            var run = services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, false, kill.Token);
            var waited = Stopwatch.StartNew();
            while (await CountAsync("SELECT count(*) FROM topic_extractions") < 200 && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }

            await kill.CancelAsync();
            var killed = await run;
            Assert.NotEqual(JobRunStatus.Succeeded, killed.Status);
        }

        var partial = await CountAsync("SELECT count(*) FROM topic_extractions");
        Assert.InRange(partial, 200, 2999);
        Assert.Equal(0, partial % 50);

        var resumed = await RunAsync(settings);

        Assert.Equal(JobRunStatus.Succeeded, resumed.Status);
        Assert.Equal(3000 - partial, resumed.AffectedCount);
        Assert.Equal(3000, await CountAsync("SELECT count(*) FROM topic_extractions"));
        Assert.Equal(3000, await CountAsync("SELECT count(DISTINCT source_id) FROM topic_extractions"));
        Assert.Equal(3000, await CountAsync("SELECT document_count FROM topic_corpus_stats"));
        Assert.Equal(3000, await CountAsync("SELECT doc_count FROM topic_term_stats WHERE term = 'kubernetes'"));
        Assert.Equal(3000, await CountAsync("SELECT sum(query_count)::bigint FROM query_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000'"));
    }

    [Fact]
    public async Task The_watermark_only_moves_forward_and_stops_at_the_run_start()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 10);
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(3), "How do I tune Kafka consumers from the future?", "Add partitions.");

        await RunAsync();
        var mark = await QaSeed.ScalarAsync<DateTime>(_db.DataSource, "SELECT created_at FROM topic_extraction_watermarks");
        Assert.Equal(Now.UtcDateTime, DateTime.SpecifyKind(mark, DateTimeKind.Utc));
        Assert.Equal(11, await CountAsync("SELECT count(*) FROM topic_extractions"));

        // A run from an older clock (or a sweep behind the watermark) never moves it back.
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddDays(-2), "How do I rotate TLS certificates?", "Automate renewal.");
        _time.Advance(TimeSpan.FromDays(2));
        var swept = await RunAsync();
        Assert.Equal(true, swept.Details["full_sweep"]);
        Assert.Equal(1, swept.AffectedCount);
        Assert.True(await QaSeed.ScalarAsync<DateTime>(_db.DataSource, "SELECT created_at FROM topic_extraction_watermarks") >= mark);
    }

    [Fact]
    public async Task Two_runners_at_once_run_once_and_the_other_is_skipped()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 3000);

        await using var services = Build(new Dictionary<string, string?> { ["Jobs:TopicExtraction:BatchSize"] = "200" });
        var runner = services.GetRequiredService<JobRunner>();
        var results = await Task.WhenAll(
            runner.RunAsync("topic_extraction", JobTrigger.Timer, false, CancellationToken.None),
            runner.RunAsync("topic_extraction", JobTrigger.Http, false, CancellationToken.None));

        Assert.Single(results, r => r.Status == JobRunStatus.Succeeded);
        Assert.Single(results, r => r.Status == JobRunStatus.Skipped);
        Assert.Equal(3000, await CountAsync("SELECT count(*) FROM topic_extractions"));
    }

    [Fact]
    public async Task Two_overlapping_extractions_without_the_lock_never_duplicate_rows_or_statistics()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 1500);
        var settings = new Dictionary<string, string?> { ["Jobs:TopicExtraction:BatchSize"] = "300" };

        // Bypass the runner's lease: two job instances walk the same rows at the same time.
        await using var services = Build(settings);
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            var job = scope.ServiceProvider.GetRequiredKeyedService<IJob>("topic_extraction");
            await job.ExecuteAsync(new JobContext(Guid.NewGuid(), JobTrigger.Cli, false, Now.UtcDateTime), CancellationToken.None);
        }));

        Assert.Equal(1500, await CountAsync("SELECT count(*) FROM topic_extractions"));
        Assert.Equal(1500, await CountAsync("SELECT count(DISTINCT source_id) FROM topic_extractions"));
        Assert.Equal(1500, await CountAsync("SELECT document_count FROM topic_corpus_stats"));
        Assert.Equal(1500, await CountAsync("SELECT sum(query_count)::bigint FROM query_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000'"));
        Assert.Equal(1500, await CountAsync("SELECT doc_count FROM topic_term_stats WHERE term = 'kubernetes'"));
    }

    [Fact]
    public async Task The_vocabulary_holds_the_lexicon_and_the_shareable_corpus_topics_and_compounds_keep_their_head()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-2), "How do I fix postgres table bloat?", "Run VACUUM on the table.", privacy: "INTERNAL");
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-1), "Our k8s pods keep restarting", "Check the pod events.", privacy: "PUBLIC");
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-1), "How do I tune zanzibar-secret-codename sharding?", "Use more shards.", privacy: "CONFIDENTIAL");

        var result = await RunAsync();

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.True(await CountAsync("SELECT count(*) FROM topic_vocabulary WHERE source = 'lexicon'") >= 300);
        Assert.Equal(1, await CountAsync("SELECT doc_count FROM topic_vocabulary WHERE topic = 'postgresql' AND source = 'lexicon' AND 'postgres' = ANY(aliases)"));
        Assert.Equal(1, await CountAsync("SELECT doc_count FROM topic_vocabulary WHERE topic = 'kubernetes'"));
        Assert.Equal(1, await CountAsync("SELECT doc_count FROM topic_relations WHERE topic = 'table-bloat' AND head = 'postgresql'"));
        // The confidential question's words never reach the vocabulary or the relations.
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM topic_vocabulary WHERE topic LIKE '%zanzibar%' OR (doc_count > 0 AND topic = 'partitioning')"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM topic_relations WHERE topic LIKE '%zanzibar%' OR head LIKE '%zanzibar%'"));
        var kubernetes = await QaSeed.ScalarAsync<string[]>(_db.DataSource,
            "SELECT topics FROM topic_extractions WHERE source_id = (SELECT query_id FROM query_history WHERE query_text LIKE 'Our k8s%')");
        Assert.Contains("kubernetes", kubernetes);
    }

    [Fact]
    public async Task A_dry_run_counts_pending_rows_and_writes_nothing()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 5);

        var result = await RunAsync(dryRun: true);

        Assert.Equal(5L, result.Details["would_extract"]);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM topic_extractions"));
    }

    [Fact]
    public async Task Extraction_throughput_is_reported_informally()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 5000);

        var watch = Stopwatch.StartNew();
        var result = await RunAsync();
        watch.Stop();

        Assert.Equal(5000, result.AffectedCount);
        output.WriteLine($"informal: {5000 / watch.Elapsed.TotalSeconds:F0} rows/s end to end ({watch.ElapsedMilliseconds} ms for 5,000 rows, {Environment.ProcessorCount} cores)");
    }

    private Task InsertManyAsync(Guid user, int count) => KubernetesQa.InsertAsync(_db.DataSource, user, count, Now);
}
