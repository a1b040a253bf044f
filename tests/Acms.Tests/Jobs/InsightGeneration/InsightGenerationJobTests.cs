using System.Text.Json;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Jobs.InsightGeneration;

public sealed class InsightGenerationJobTests : DatabaseTest
{
    // The run's day starts 2026-11-02; the period is [10-26, 11-02), the previous one [10-19, 10-26).
    private static readonly DateTimeOffset Now = TestHost.Epoch;
    private static readonly DateTimeOffset End = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = End.AddDays(-7);
    private static readonly DateTimeOffset PreviousStart = Start.AddDays(-7);
    private readonly FakeTimeProvider _time = new(Now);

    private async Task<JobRunResult> RunAsync(IDictionary<string, string?>? settings = null)
    {
        await using var services = TestHost.Build(Db, _time, settings);
        return await services.GetRequiredService<JobRunner>().RunAsync("insight_generation", JobTrigger.Cli, false, CancellationToken.None);
    }

    private Task<List<(string Type, string Key, string Description, string Evidence)>> InsightsAsync(Guid? user) =>
        QaSeed.QueryListAsync<(string, string, string, string)>(Db.DataSource, """
            SELECT insight_type, insight_key, description, evidence::text FROM user_insights
            WHERE (@user::uuid IS NULL AND scope = 'org') OR user_id = @user ORDER BY insight_type, insight_key
            """, new { user });

    private Task Current(Guid user, string topic, int count, double? cost = null, int cacheHits = 0, string? question = null, string privacy = "INTERNAL") =>
        TopicSeed.ManyAsync(Db.DataSource, user, [topic], count, Start, End, question, cost, cacheHits, privacy);

    private Task Previous(Guid user, string topic, int count) =>
        TopicSeed.ManyAsync(Db.DataSource, user, [topic], count, PreviousStart, Start);

    [Fact]
    public async Task A_topic_up_by_more_than_25_percent_is_an_emerging_theme_and_exactly_25_percent_is_not()
    {
        var exactly = await Seed.UserAsync(Db.DataSource);
        var above = await Seed.UserAsync(Db.DataSource);
        await Previous(exactly, "kafka", 20);
        await Current(exactly, "kafka", 25);
        await Previous(above, "kafka", 20);
        await Current(above, "kafka", 26);

        var result = await RunAsync();

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        Assert.DoesNotContain(await InsightsAsync(exactly), i => i.Type == "emerging_theme");
        var emerging = Assert.Single(await InsightsAsync(above), i => i.Type == "emerging_theme");
        Assert.Equal("kafka", emerging.Key);
        using var evidence = JsonDocument.Parse(emerging.Evidence);
        Assert.Equal(26, evidence.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(20, evidence.RootElement.GetProperty("previous_count").GetInt64());
        Assert.Equal(30.0, evidence.RootElement.GetProperty("change_percent").GetDouble());
        Assert.Equal(5, evidence.RootElement.GetProperty("query_ids").GetArrayLength());
    }

    [Fact]
    public async Task A_topic_new_this_period_is_a_topic_shift()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await Previous(user, "postgres", 3);
        await Current(user, "postgres", 3);
        await Current(user, "vector-search", 2);
        await Current(user, "one-off", 1);

        await RunAsync();

        var shifts = (await InsightsAsync(user)).Where(i => i.Type == "topic_shift").Select(i => i.Key).ToList();
        Assert.Equal(["vector-search"], shifts);
    }

    [Fact]
    public async Task An_average_cost_above_5_cents_per_query_is_a_cost_insight_and_exactly_5_cents_is_not()
    {
        var exactly = await Seed.UserAsync(Db.DataSource);
        var above = await Seed.UserAsync(Db.DataSource);
        await Current(exactly, "llm", 4, cost: 0.05, cacheHits: 4);
        await Current(above, "llm", 4, cost: 0.051, cacheHits: 4);

        await RunAsync();

        Assert.DoesNotContain(await InsightsAsync(exactly), i => i.Type == "cost_trend");
        Assert.Single(await InsightsAsync(above), i => i.Type == "cost_trend");
    }

    [Fact]
    public async Task A_cache_hit_rate_below_20_percent_over_more_than_10_queries_is_a_productivity_insight()
    {
        var below = await Seed.UserAsync(Db.DataSource);      // 2 of 11 = 18%
        var atRate = await Seed.UserAsync(Db.DataSource);     // 3 of 15 = 20%
        var tooFew = await Seed.UserAsync(Db.DataSource);     // 0 of 10
        await Current(below, "redis", 11, cacheHits: 2);
        await Current(atRate, "redis", 15, cacheHits: 3);
        await Current(tooFew, "redis", 10);

        await RunAsync();

        Assert.Single(await InsightsAsync(below), i => i.Type == "productivity_trend");
        Assert.DoesNotContain(await InsightsAsync(atRate), i => i.Type == "productivity_trend");
        Assert.DoesNotContain(await InsightsAsync(tooFew), i => i.Type == "productivity_trend");
    }

    [Fact]
    public async Task The_same_normalized_question_asked_3_times_is_a_knowledge_gap_and_twice_is_not()
    {
        var thrice = await Seed.UserAsync(Db.DataSource);
        var twice = await Seed.UserAsync(Db.DataSource);
        foreach (var text in new[] { "How do I restart the VPN?", "how do i restart the vpn", "How do I  restart the VPN!!" })
        {
            await Current(thrice, "vpn", 1, question: text);
        }

        await Current(twice, "vpn", 2, question: "How do I restart the VPN?");

        await RunAsync();

        var gap = Assert.Single(await InsightsAsync(thrice), i => i.Type == "knowledge_gap");
        Assert.Contains("how do i restart the vpn", gap.Description);
        Assert.Contains("3 times", gap.Description);
        Assert.DoesNotContain(await InsightsAsync(twice), i => i.Type == "knowledge_gap");
    }

    [Fact]
    public async Task Org_knowledge_holds_topics_of_at_least_3_users_from_shareable_rows_with_counts_and_only_public_question_text()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await Seed.UserAsync(Db.DataSource));
        }

        await Current(users[0], "terraform", 2, question: "Internal terraform plan for project Falcon", privacy: "INTERNAL");
        await Current(users[1], "terraform", 1, question: "Internal terraform state question");
        await Current(users[2], "terraform", 1, question: "How do I structure terraform modules?", privacy: "PUBLIC");
        await Current(users[0], "helm", 1);
        await Current(users[1], "helm", 1);
        foreach (var user in users)
        {
            await Current(user, "falcon-layoffs", 2, privacy: user == users[0] ? "LOCAL_ONLY" : "CONFIDENTIAL");
        }

        await Current(users[0], "bicep", 2);
        await Current(users[1], "bicep", 1);
        await Current(users[2], "bicep", 1);

        var result = await RunAsync();

        var rows = await QaSeed.QueryListAsync<(string Topic, int Users, long Queries, string? Sample)>(Db.DataSource,
            "SELECT topic, user_count, query_count, sample_question FROM org_knowledge ORDER BY topic");
        Assert.Equal([("bicep", 3, 4L, null), ("terraform", 3, 4L, "How do I structure terraform modules?")], rows);
        Assert.Equal(2, result.Details["org_knowledge_topics"]);
    }

    // Finding 5: org knowledge gaps counted CONFIDENTIAL/LOCAL_ONLY rows, published their query ids and keyed them with a
    // bare SHA-256 prefix of the normalized question, which anyone could check a guessed question against.
    [Fact]
    public async Task Org_knowledge_gaps_count_only_shareable_rows_publish_only_their_ids_and_use_a_keyed_hash()
    {
        var a = await Seed.UserAsync(Db.DataSource);
        var b = await Seed.UserAsync(Db.DataSource);
        var c = await Seed.UserAsync(Db.DataSource);
        const string Question = "What is the salary of employee 4711?";
        await Current(a, "payroll", 2, question: Question, privacy: "CONFIDENTIAL");
        await Current(c, "payroll", 1, question: Question, privacy: "LOCAL_ONLY");
        await Current(b, "payroll", 3, question: Question, privacy: "INTERNAL");
        var hidden = await QaSeed.QueryListAsync<Guid>(Db.DataSource, "SELECT query_id FROM query_history WHERE user_id <> @b", new { b });
        var shareable = await QaSeed.QueryListAsync<Guid>(Db.DataSource, "SELECT query_id FROM query_history WHERE user_id = @b", new { b });
        const string Secret = "a-per-deployment-secret-of-32-characters-or-more";

        await RunAsync(new Dictionary<string, string?> { ["Privacy:InsightKeySecret"] = Secret });

        var org = await InsightsAsync(null);
        var gap = Assert.Single(org, i => i.Type == "knowledge_gap");
        Assert.Contains("3 times", gap.Description);
        Assert.DoesNotContain("salary", gap.Description, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(org, i => i.Description.Contains("4711", StringComparison.Ordinal) || i.Evidence.Contains("4711", StringComparison.Ordinal));
        using var evidence = JsonDocument.Parse(gap.Evidence);
        var ids = evidence.RootElement.GetProperty("query_ids").EnumerateArray().Select(e => e.GetGuid()).ToList();
        Assert.Equal(shareable.Order(), ids.Order());
        Assert.DoesNotContain(org, i => hidden.Any(h => i.Evidence.Contains(h.ToString(), StringComparison.OrdinalIgnoreCase)));

        var normalized = "what is the salary of employee 4711";
        var bareHash = "q:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalized)))[..16];
        var keyed = "q:" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(normalized)))[..32];
        Assert.NotEqual(bareHash, gap.Key);
        Assert.Equal(keyed, gap.Key);
    }

    [Fact]
    public async Task Without_a_configured_secret_knowledge_gap_keys_use_one_random_secret_stored_once()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await Current(user, "vpn", 3, question: "How do I restart the VPN?");

        await RunAsync();
        var first = Assert.Single(await InsightsAsync(user), i => i.Type == "knowledge_gap").Key;
        await RunAsync();

        Assert.Equal(first, Assert.Single(await InsightsAsync(user), i => i.Type == "knowledge_gap").Key);
        Assert.Equal(1, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM acms_deployment_secrets"));
        Assert.Equal(32, await QaSeed.ScalarAsync<int>(Db.DataSource, "SELECT length(secret) FROM acms_deployment_secrets"));
    }

    [Fact]
    public async Task A_rerun_replaces_the_period_rows_and_never_duplicates_them()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await Previous(user, "kafka", 2);
        await Current(user, "kafka", 6, cost: 0.2);
        await Current(user, "vector-search", 3);

        await RunAsync();
        var first = await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM user_insights");
        await RunAsync();
        _time.Advance(TimeSpan.FromHours(5));
        await RunAsync();

        Assert.True(first >= 4, $"expected user and org insights, got {first}");
        Assert.Equal(first, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM user_insights"));
    }

    [Fact]
    public async Task One_user_whose_insights_cannot_be_written_fails_alone_and_the_run_goes_on()
    {
        var good = await Seed.UserAsync(Db.DataSource);
        var bad = await Seed.UserAsync(Db.DataSource);
        await Current(good, "kafka", 3, cost: 0.5);
        await Current(bad, "kafka", 3, cost: 0.5);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE FUNCTION reject_bad_user() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'bad data for this user'; END $$;
                CREATE TRIGGER reject_bad_user BEFORE INSERT ON user_insights
                FOR EACH ROW WHEN (NEW.user_id = '{bad}') EXECUTE FUNCTION reject_bad_user();
                """;
            await command.ExecuteNonQueryAsync();
        }

        var result = await RunAsync();

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        Assert.Equal(1L, result.Details["failed_users"]);
        Assert.NotEmpty(await InsightsAsync(good));
        Assert.Empty(await InsightsAsync(bad));
        Assert.NotEmpty(await InsightsAsync(null));
    }

    [Fact]
    public async Task Inactive_users_get_no_insights()
    {
        var inactive = await Seed.UserAsync(Db.DataSource);
        await Current(inactive, "kafka", 3, cost: 0.5);
        await QaSeed.ScalarAsync<int>(Db.DataSource, "UPDATE users SET is_active = false WHERE user_id = @inactive", new { inactive });

        var result = await RunAsync();

        Assert.Equal(0L, result.Details["users"]);
        Assert.Empty(await InsightsAsync(inactive));
    }
}
