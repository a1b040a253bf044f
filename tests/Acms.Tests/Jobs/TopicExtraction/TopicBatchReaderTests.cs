using Acms.Domain.Jobs;
using Acms.Domain.Jobs.TopicExtraction;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>
/// <see cref="TopicBatchReader"/>: reads run ahead of scoring in key ranges found by bound queries, and the batches a walk
/// hands out are the same, in the same order, whatever the depth.
/// </summary>
public sealed class TopicBatchReaderTests : DatabaseTest
{
    private static readonly DateTime Start = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A query_history of dated rows in key order, read as the job reads it: bound queries and range or LIMIT reads.</summary>
    private sealed class FakeTable(int rows, int batchSize)
    {
        public List<TopicSourceRow> Rows { get; } = [.. Enumerable.Range(0, rows).Select(i => Row(Start.AddMinutes(i)))];

        private int _inFlight;
        private int _mostInFlight;
        private int _reads;

        public int MostInFlight => Volatile.Read(ref _mostInFlight);

        /// <summary>Rows added to the table between a range's bound query and its read, at the n-th read.</summary>
        public Dictionary<int, int> ArrivingAtRead { get; } = [];

        public static TopicSourceRow Row(DateTime at) => new(Guid.NewGuid(), Guid.Empty, "q", null, at, false, null, "INTERNAL", false);

        private IEnumerable<TopicSourceRow> After((DateTime AfterAt, Guid AfterId) after) =>
            Rows.Where(r => (r.CreatedAt!.Value, r.QueryId).CompareTo((after.AfterAt, after.AfterId)) > 0)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.QueryId);

        public Task<(DateTime UpToAt, Guid UpToId)?> BoundAsync((DateTime AfterAt, Guid AfterId) after, CancellationToken _)
        {
            lock (Rows)
            {
                var row = After(after).Skip(batchSize - 1).FirstOrDefault();
                return Task.FromResult<(DateTime, Guid)?>(row is null ? null : (row.CreatedAt!.Value, row.QueryId));
            }
        }

        /// <summary>Changes the table as another writer would, between reads.</summary>
        public void Change(Action<List<TopicSourceRow>> change)
        {
            lock (Rows)
            {
                change(Rows);
            }
        }

        public async Task<TopicReadBatch> ReadAsync((DateTime AfterAt, Guid AfterId) after, (DateTime UpToAt, Guid UpToId)? upTo)
        {
            var read = Interlocked.Increment(ref _reads);
            var inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _mostInFlight, inFlight);
            if (ArrivingAtRead.TryGetValue(read, out var arriving) && upTo is not null)
            {
                // Late rows dated inside the range: just after its start.
                Change(rows => rows.AddRange(Enumerable.Range(0, arriving).Select(i => Row(after.AfterAt.AddSeconds(1 + (i * 0.001))))));
            }

            await Task.Delay(5);
            var cap = upTo is null ? batchSize : 2 * batchSize;
            List<TopicSourceRow> candidates;
            lock (Rows)
            {
                candidates = [.. After(after)
                    .Where(r => upTo is not { } u || (r.CreatedAt!.Value, r.QueryId).CompareTo((u.UpToAt, u.UpToId)) <= 0)
                    .Take(cap)];
            }

            Interlocked.Decrement(ref _inFlight);
            return new TopicReadBatch(candidates, candidates, [], new CorpusStatistics(), [], 0, upTo is not null && candidates.Count < cap);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task<List<TopicReadBatch>> WalkAsync(FakeTable table, int ahead)
    {
        var reader = new TopicBatchReader(ahead, (TopicWalkPlan.Beginning, Guid.Empty), table.BoundAsync, table.ReadAsync);
        var batches = new List<TopicReadBatch>();
        while (await reader.NextAsync(CancellationToken.None) is { } batch)
        {
            batches.Add(batch);
        }

        return batches;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_walk_hands_out_every_row_once_in_key_order_with_at_most_ahead_reads_in_flight(int ahead)
    {
        var table = new FakeTable(1_050, 100);

        var batches = await WalkAsync(table, ahead);

        var ordered = table.Rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.QueryId).Select(r => r.QueryId);
        Assert.Equal(ordered, batches.SelectMany(b => b.Candidates).Select(r => r.QueryId));
        Assert.Equal(11, batches.Count);
        Assert.All(batches.SkipLast(1), b => Assert.Equal(100, b.Candidates.Count));
        // Ahead: the batch handed out is scored while `ahead` more are read (all of them at once at the start); without
        // read-ahead each read starts when its batch is asked for.
        Assert.Equal(Math.Max(ahead, 1), table.MostInFlight);
    }

    [Fact]
    public async Task A_range_that_fills_its_cap_was_cut_short_so_the_walk_drops_the_reads_after_it_and_goes_on_after_its_last_row()
    {
        var table = new FakeTable(1_000, 100);
        // 150 rows arrive inside the third range after its bound was read: 250 rows, past its cap of 200.
        table.ArrivingAtRead[3] = 150;

        var batches = await WalkAsync(table, 3);

        var ordered = table.Rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.QueryId).Select(r => r.QueryId);
        Assert.Equal(1_150, table.Rows.Count);
        Assert.Equal(ordered, batches.SelectMany(b => b.Candidates).Select(r => r.QueryId));
        Assert.Contains(batches, b => b.Candidates.Count == 200 && !b.Bounded);
    }

    [Fact]
    public async Task A_range_whose_rows_are_gone_is_skipped_and_the_walk_goes_on()
    {
        var table = new FakeTable(500, 100);
        var reader = new TopicBatchReader(2, (TopicWalkPlan.Beginning, Guid.Empty), table.BoundAsync, async (after, upTo) =>
        {
            // The second range's rows are deleted between its bound query and its read.
            if (after.AfterAt == Start.AddMinutes(99))
            {
                table.Change(rows => rows.RemoveAll(r => r.CreatedAt > Start.AddMinutes(99) && r.CreatedAt <= Start.AddMinutes(199)));
            }

            return await table.ReadAsync(after, upTo);
        });

        var handed = new List<TopicReadBatch>();
        while (await reader.NextAsync(CancellationToken.None) is { } batch)
        {
            handed.Add(batch);
        }

        Assert.Equal(400, handed.Sum(b => b.Candidates.Count));
        Assert.Equal(4, handed.Count);
        Assert.DoesNotContain(handed, b => b.Candidates.Count == 0);
    }

    [Fact]
    public async Task Reading_ahead_at_any_depth_writes_what_a_run_that_reads_each_batch_in_turn_writes()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await KubernetesQa.InsertAsync(Db.DataSource, user, 1_200, TestHost.Epoch);
        foreach (var (version, pace, depth) in new[] { ("in-turn", "3", "1"), ("ahead-1", "0", "1"), ("ahead-3", "0", "3") })
        {
            await using var services = TestHost.Build(Db, new FakeTimeProvider(TestHost.Epoch), new Dictionary<string, string?>
            {
                ["Jobs:TopicExtraction:ExtractorVersion"] = version,
                ["Jobs:TopicExtraction:BatchSize"] = "100",
                ["Jobs:TopicExtraction:Pace"] = pace,
                ["Jobs:TopicExtraction:ReadAhead"] = depth,
            });
            var result = await services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, false, CancellationToken.None);
            Assert.Equal(JobRunStatus.Succeeded, result.Status);
            Assert.Equal(12, result.Details["batches"]);
        }

        // Per row: its topics; per version: the watermark and the corpus statistics the scoring of later batches reads.
        const string Differences = """
            SELECT count(*) FROM (
                (SELECT source_id::text, topics, primary_topic FROM topic_extractions WHERE extractor_version = @A
                 EXCEPT SELECT source_id::text, topics, primary_topic FROM topic_extractions WHERE extractor_version = @B)
                UNION ALL
                (SELECT created_at::text || query_id::text, NULL::text[], NULL::text FROM topic_extraction_watermarks WHERE extractor_version = @A
                 EXCEPT SELECT created_at::text || query_id::text, NULL::text[], NULL::text FROM topic_extraction_watermarks WHERE extractor_version = @B)
                UNION ALL
                (SELECT NULL, ARRAY[term], doc_count::text FROM topic_term_stats WHERE extractor_version = @A
                 EXCEPT SELECT NULL, ARRAY[term], doc_count::text FROM topic_term_stats WHERE extractor_version = @B)) d
            """;
        Assert.Equal(1_200, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM topic_extractions WHERE extractor_version = 'ahead-3'"));
        foreach (var ahead in new[] { "ahead-1", "ahead-3" })
        {
            Assert.Equal(0, await QaSeed.ScalarAsync<long>(Db.DataSource, Differences, new { A = "in-turn", B = ahead }));
            Assert.Equal(0, await QaSeed.ScalarAsync<long>(Db.DataSource, Differences, new { A = ahead, B = "in-turn" }));
        }
    }
}
