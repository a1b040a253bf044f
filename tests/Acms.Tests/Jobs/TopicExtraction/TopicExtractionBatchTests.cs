using System.Diagnostics;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>Topic extraction's batches go through <see cref="JobBatches"/>: each one fenced by the run's lease and recorded.</summary>
public sealed class TopicExtractionBatchTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = TestHost.Epoch;

    private ServiceProvider Build(int batchSize) =>
        TestHost.Build(Db, new FakeTimeProvider(Now), new Dictionary<string, string?> { ["Jobs:TopicExtraction:BatchSize"] = $"{batchSize}" });

    private Task<long> CountAsync(string sql, object? parameters = null) => QaSeed.ScalarAsync<long>(Db.DataSource, sql, parameters);

    [Fact]
    public async Task A_run_records_each_committed_batch_and_its_affected_count_is_their_sum()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await KubernetesQa.InsertAsync(Db.DataSource, user, 1000, Now);
        await using var services = Build(100);

        var result = await services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(1000, result.AffectedCount);
        // The vocabulary seed, ten extraction batches (each with its watermark advance) and the full sweep's mark.
        Assert.Equal(12, await CountAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId", new { result.RunId }));
        Assert.Equal(10, result.Details["batches"]);
        Assert.Equal(10, await CountAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId AND rows_affected > 0", new { result.RunId }));
        Assert.Equal(1000, await CountAsync("SELECT sum(rows_affected)::bigint FROM job_run_batches WHERE job_run_id = @RunId", new { result.RunId }));
        Assert.Equal(1000, await CountAsync("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId", new { result.RunId }));
    }

    [Fact]
    public async Task A_run_that_loses_its_lease_stops_before_its_next_batch_and_keeps_the_batches_it_committed()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await KubernetesQa.InsertAsync(Db.DataSource, user, 3000, Now);
        await using var services = Build(50);
        var run = services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Timer, false, CancellationToken.None);
        var waited = Stopwatch.StartNew();
        while (await CountAsync("SELECT count(*) FROM topic_extractions") < 150 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        // Another run takes the job over (as it would once this run's heartbeat went stale). A batch in flight holds the
        // lease row from its renewal to its commit, so this waits for it: every batch after it sees the new holder.
        await QaSeed.ScalarAsync<Guid>(Db.DataSource, """
            UPDATE job_leases SET holder_run_id = gen_random_uuid(), fencing_token = fencing_token + 1, heartbeat_at = now()
            WHERE job_name = 'topic_extraction' RETURNING holder_run_id
            """);
        var lost = await run;
        var extracted = await CountAsync("SELECT count(*) FROM topic_extractions");

        Assert.Equal(JobRunStatus.Failed, lost.Status);
        Assert.StartsWith("lease lost", lost.Error);
        Assert.InRange(extracted, 150, 2950);
        Assert.Equal(0, extracted % 50);
        // The committed batches are recorded, counted, and their extractions, statistics and watermark are in the data.
        Assert.Equal(extracted, await CountAsync("SELECT sum(rows_affected)::bigint FROM job_run_batches WHERE job_run_id = @RunId", new { lost.RunId }));
        Assert.Equal(extracted / 50, await CountAsync("SELECT count(*) FROM job_run_batches WHERE job_run_id = @RunId AND rows_affected > 0", new { lost.RunId }));
        Assert.Equal(extracted, lost.AffectedCount);
        Assert.Equal(extracted, await CountAsync("SELECT affected_count FROM job_runs WHERE job_run_id = @RunId AND status = 'failed'", new { lost.RunId }));
        Assert.Equal(extracted, await CountAsync("SELECT document_count FROM topic_corpus_stats"));
        // The watermark stands exactly at the last extracted row: each batch's extractions and its advance commit together.
        Assert.Equal(extracted, await CountAsync("""
            SELECT count(*) FROM query_history q, topic_extraction_watermarks w WHERE (q.created_at, q.query_id) <= (w.created_at, w.query_id)
            """));
    }
}
