using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.TopicExtraction;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>The optional LLM tier of topic extraction: what the privacy model lets it see, its budget, its concurrency and its failures.</summary>
public sealed partial class TopicExtractionJobTests
{
    // Finding 6: SQL read "privacy_level": "" as not shareable while PrivacyAllows("") sent the row to the LLM. Now one
    // model decides: the question goes to the LLM when the row's effective level is PUBLIC, INTERNAL or UNKNOWN, the
    // answer only when its provenance is known and shareable; CONFIDENTIAL and LOCAL_ONLY rows never leave.
    [Fact]
    public async Task The_llm_gets_the_questions_the_privacy_model_shares_and_only_answers_of_a_known_shareable_provenance()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        var memory = await Seed.MemoryAsync(_db.DataSource, user, Now.AddDays(-3), privacy: "INTERNAL", content: "Kafka consumer notes");
        var rows = new Dictionary<string, Guid>();
        foreach (var privacy in new[] { "PUBLIC", "INTERNAL", null, "", "  ", "CONFIDENTIAL", "LOCAL_ONLY", "local_only", "SECRET" })
        {
            var key = privacy switch { null => "absent", "" => "blank", "  " => "spaces", _ => privacy };
            rows[key] = await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-1),
                $"How do I scale Kafka consumers q-marker-{key}?", $"Kafka answer a-marker-{key}.", privacy: privacy);
        }

        // ACMS logged the retrieval of the INTERNAL row's answer: its provenance is known and shareable.
        await QueryLogSeed.LogAsync(_db.DataSource, user, "How do I scale Kafka consumers q-marker-INTERNAL?", Now.AddHours(-1).AddSeconds(-3), [memory]);
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-1), "hi", "Hello!", privacy: "PUBLIC");
        var chat = new FakeChatClient();

        var result = await RunAsync(chat: chat);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        string[] sent = ["PUBLIC", "INTERNAL", "absent", "blank", "spaces", "SECRET"];
        Assert.Equal(sent.Order(), chat.Received.Select(p => Regex.Match(p, "q-marker-([A-Za-z_]+)").Groups[1].Value).Order());
        Assert.All(chat.Received, prompt => Assert.DoesNotMatch("marker-(CONFIDENTIAL|LOCAL_ONLY|local_only)", prompt));
        Assert.All(chat.Received, prompt => Assert.DoesNotMatch("a-marker-(PUBLIC|absent|blank|spaces|SECRET)", prompt));
        Assert.Single(chat.Received, prompt => prompt.Contains("a-marker-INTERNAL", StringComparison.Ordinal));
        Assert.DoesNotContain(chat.Received, prompt => prompt.Contains("Question: hi", StringComparison.Ordinal));
        Assert.Equal(6L, result.Details["llm_extracted"]);
        var stored = (await QaSeed.QueryListAsync<(Guid, string, string?)>(_db.DataSource,
            "SELECT source_id, extraction_method, effective_privacy FROM topic_extractions WHERE extraction_method <> 'trivial'"))
            .ToDictionary(r => r.Item1, r => (Method: r.Item2, Level: r.Item3));
        Assert.Equal(("llm", "INTERNAL"), stored[rows["INTERNAL"]]);
        Assert.Equal(("llm", "UNKNOWN"), stored[rows["PUBLIC"]]);
        Assert.Equal(("llm", "UNKNOWN"), stored[rows["blank"]]);
        Assert.Equal(("keyword", "CONFIDENTIAL"), stored[rows["CONFIDENTIAL"]]);
        Assert.Equal(("keyword", "LOCAL_ONLY"), stored[rows["local_only"]]);
        // The C# gate and the stored SQL level agree on the blank row.
        Assert.False(Acms.Domain.Privacy.PrivacyModel.AnswerShareable(stored[rows["blank"]].Level, allowUnknown: false));
    }

    [Fact]
    public async Task The_llm_call_budget_and_cost_budget_cap_calls_and_the_rest_use_the_built_in_extractor()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 6);

        var byCalls = new FakeChatClient();
        var callsRun = await RunAsync(new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmMaxCallsPerRun"] = "2" }, byCalls);
        Assert.Equal(2, byCalls.Received.Count);
        Assert.Equal(2L, callsRun.Details["llm_extracted"]);
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM topic_extractions WHERE extraction_method = 'keyword'"));

        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddMinutes(-1), "How do I scale Kafka consumers?", "Add partitions.");
        await QaSeed.QueryAsync(_db.DataSource, user, Now.AddMinutes(-1), "How do I tune Redis?", "Set maxmemory.");
        // The fake reports 1,000 input tokens at $0.001 per 1k: $0.001 charged per call, while the estimate before the
        // first call (~100 tokens) fits a $0.0005 budget. After that charge, no further call fits. One call at a time, so that
        // the second is reserved after the first was charged (calls in flight are the other test's case).
        var byCost = new FakeChatClient(inputTokens: 1000);
        var costRun = await RunAsync(new Dictionary<string, string?>
        {
            ["Jobs:TopicExtraction:LlmConcurrency"] = "1",
            ["Jobs:TopicExtraction:LlmMaxCostUsdPerRun"] = "0.0005",
            ["Jobs:TopicExtraction:LlmUsdPer1kInputTokens"] = "0.001",
            ["Jobs:TopicExtraction:LlmUsdPer1kOutputTokens"] = "0",
        }, byCost);
        Assert.Single(byCost.Received);
        Assert.Equal(1L, costRun.Details["llm_extracted"]);
    }

    [Fact]
    public async Task A_failing_llm_falls_back_to_the_built_in_extractor_and_the_run_succeeds()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 3);

        var result = await RunAsync(chat: new FakeChatClient(fail: true));

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(3, result.Details["llm_failures"]);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM topic_extractions WHERE extraction_method = 'keyword' AND cardinality(topics) > 0"));
    }

    [Fact]
    public async Task Llm_calls_run_concurrently_up_to_the_setting_and_each_row_keeps_its_own_reply()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "mike", "india", "juliet", "kilo", "lima"];
        var ids = new Dictionary<string, Guid>();
        foreach (var word in words)
        {
            ids[word] = await QaSeed.QueryAsync(_db.DataSource, user, Now.AddHours(-1), $"How do I configure kafka for project {word}?", "Set the partitions.", privacy: "INTERNAL");
        }

        var chat = new EchoChatClient(TimeSpan.FromMilliseconds(150));
        var result = await RunAsync(new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmConcurrency"] = "4" }, chat);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(12L, result.Details["llm_extracted"]);
        Assert.InRange(chat.MaxInFlight, 2, 4);
        var stored = (await QaSeed.QueryListAsync<(Guid Id, string[] Topics)>(_db.DataSource,
            "SELECT source_id, topics FROM topic_extractions WHERE extraction_method = 'llm'")).ToDictionary(r => r.Id, r => r.Topics);
        Assert.All(words, word => Assert.Equal(["project-" + word], stored[ids[word]]));
    }

    [Fact]
    public async Task Calls_in_flight_hold_their_estimate_so_concurrent_calls_never_pass_the_cost_cap()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 12);

        // No usage reported: each call is charged its estimate (about $0.0001 here: a prompt of about 100 tokens at $0.001
        // per 1k). A cap of $0.0005 holds about five of them; eight calls in flight that each checked the spend before any
        // was charged would pass it.
        var chat = new EchoChatClient(TimeSpan.FromMilliseconds(100));
        var result = await RunAsync(new Dictionary<string, string?>
        {
            ["Jobs:TopicExtraction:LlmConcurrency"] = "8",
            ["Jobs:TopicExtraction:LlmMaxCostUsdPerRun"] = "0.0005",
            ["Jobs:TopicExtraction:LlmUsdPer1kInputTokens"] = "0.001",
            ["Jobs:TopicExtraction:LlmUsdPer1kOutputTokens"] = "0",
        }, chat);

        var spent = Convert.ToDouble(result.Details["llm_cost_usd"], CultureInfo.InvariantCulture);
        Assert.True(spent <= 0.0005, $"spent {spent} in {chat.Calls} calls");
        Assert.InRange(chat.Calls, 1, 11);
        Assert.Equal((long)chat.Calls, result.Details["llm_extracted"]);
        Assert.Equal(12 - chat.Calls, await CountAsync("SELECT count(*) FROM topic_extractions WHERE extraction_method = 'keyword'"));
    }

    [Fact]
    public async Task Beside_live_traffic_the_rest_after_a_batch_does_not_count_the_wait_on_the_llm()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await InsertManyAsync(user, 3);

        // Three calls of a second each, one at a time: 3 s waiting on the model. Rested for at Pace 3, they alone would
        // add 9 s; the batch's own work (read, analysis, write) is a fraction of a second. The rest runs on the real clock.
        var settings = new Dictionary<string, string?> { ["Jobs:TopicExtraction:Pace"] = "3", ["Jobs:TopicExtraction:LlmConcurrency"] = "1" };
        await using var services = TestHost.Build(_db, TimeProvider.System, settings, (s, _) => s.AddSingleton<IChatClient>(new EchoChatClient(TimeSpan.FromSeconds(1))));
        var watch = Stopwatch.StartNew();
        var result = await services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, dryRun: false, CancellationToken.None);
        watch.Stop();

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(3L, result.Details["llm_extracted"]);
        Assert.InRange(watch.Elapsed.TotalSeconds, 3, 9);
    }

    /// <summary>Answers after a delay with the tag "project-&lt;word&gt;" of the question's "project &lt;word&gt;", and counts the calls in flight.</summary>
    private sealed partial class EchoChatClient(TimeSpan latency) : IChatClient
    {
        private int _inFlight;
        private int _maxInFlight;
        private int _calls;

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public int Calls => Volatile.Read(ref _calls);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inFlight);
            Interlocked.Increment(ref _calls);
            var seen = Volatile.Read(ref _maxInFlight);
            while (now > seen && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
                seen = Volatile.Read(ref _maxInFlight);
            }

            try
            {
                await Task.Delay(latency, cancellationToken);
                var word = Project().Match(string.Join("\n", messages.Select(m => m.Text))).Groups[1].Value;
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"[\"project-{word}\"]"));
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        [GeneratedRegex(@"project ([a-z]+)")]
        private static partial Regex Project();
    }
}
