using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Privacy;

/// <summary>
/// A Q&amp;A row without a retrieval log whose question or answer quotes one of its user's CONFIDENTIAL or LOCAL_ONLY
/// memories is as strict as that memory (migration 0120). Found in the demo's org report: "New topic: door-code"
/// and "lab-door" came from "What is my lab door code?" rows with no log, whose answers quoted a LOCAL_ONLY memory.
/// </summary>
public sealed class QuotedMemoryTests : DatabaseTest
{
    private static readonly DateTimeOffset At = TestHost.Epoch.AddDays(-1);
    private const string DoorCode = "My door code for the Harwick lab is 7731";

    private Task<string> LevelAsync(Guid queryId) => QaSeed.LevelAsync(Db.DataSource, queryId);

    [Fact]
    public async Task Without_a_log_a_row_quoting_its_users_sensitive_memory_takes_the_memorys_level()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "LOCAL_ONLY", content: DoorCode);
        await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: " confidential ", content: "Revenue missed the Osprey forecast by twelve million.");

        var quotedInAnswer = await QaSeed.QueryAsync(Db.DataSource, user, At, "What is my lab door code?", $"From your notes: {DoorCode.ToUpperInvariant()}.");
        var quotedInQuestion = await QaSeed.QueryAsync(Db.DataSource, user, At, "Is it true that revenue missed the Osprey forecast by twelve million?", "I can't say.");
        var withoutAnswer = await QaSeed.QueryAsync(Db.DataSource, user, At, "What is my lab door code?", answer: null);

        Assert.Equal("LOCAL_ONLY", await LevelAsync(quotedInAnswer));        // case and the closing period aside
        Assert.Equal("CONFIDENTIAL", await LevelAsync(quotedInQuestion));    // a raw level is read as the model reads it
        Assert.Equal("UNKNOWN", await LevelAsync(withoutAnswer));            // nothing quoted: no log, so unknown
    }

    [Fact]
    public async Task Only_a_word_for_word_quote_of_the_same_users_sensitive_memory_of_12_characters_or_more_counts()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var other = await Seed.UserAsync(Db.DataSource);
        await Seed.MemoryAsync(Db.DataSource, other, At.AddDays(-30), privacy: "CONFIDENTIAL", content: "Project Kestrel layoffs are planned for March");
        await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "CONFIDENTIAL", content: "Kestrel");
        await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "INTERNAL", content: "The March offsite is in Lisbon");
        await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "CONFIDENTIAL", content: "The Bluefin acquisition closes at 41 dollars per share");

        var othersMemory = await QaSeed.QueryAsync(Db.DataSource, user, At, "What is planned?", "Project Kestrel layoffs are planned for March.");
        var internalMemory = await QaSeed.QueryAsync(Db.DataSource, user, At, "Where is the offsite?", "The March offsite is in Lisbon.");
        var paraphrase = await QaSeed.QueryAsync(Db.DataSource, user, At, "What is the deal price?", "Bluefin closes at $41 a share.");

        Assert.Equal("UNKNOWN", await LevelAsync(othersMemory));   // another user's memory: their rows, not this one's
        Assert.Equal("UNKNOWN", await LevelAsync(internalMemory)); // quoting a shareable memory changes nothing
        Assert.Equal("UNKNOWN", await LevelAsync(paraphrase));     // not a quote; a one-word memory matches nothing
    }

    [Fact]
    public async Task An_archived_memory_counts_and_a_row_with_a_log_is_judged_by_its_log()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var open = await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "INTERNAL", content: "The March offsite is in Lisbon");
        await QaSeed.ScalarAsync<int>(Db.DataSource, """
            INSERT INTO memory_items_archive (memory_id, user_id, content, content_hash, tier, crs_score, semantic_score, recency_score, outcome_score,
                                              frequency_score, correction_score, access_count, created_at, updated_at, privacy_level, row_data,
                                              archive_run_id, archive_reason, archived_at)
            VALUES (gen_random_uuid(), @user, 'Dr Quillon prescribed Zentravil for my migraines', 'h', 'SHORT', 0, 0, 0, 0, 0, 0, 0, now(), now(),
                    'LOCAL_ONLY', '{}', gen_random_uuid(), 'cleanup', now())
            RETURNING 1
            """, new { user });
        const string answer = "The March offsite is in Lisbon; bring what Dr Quillon prescribed Zentravil for my migraines covers.";
        var unlogged = await QaSeed.QueryAsync(Db.DataSource, user, At, "Anything for the trip?", answer, privacy: "INTERNAL");
        const string question = "Anything else for the trip?";
        var logged = await QaSeed.QueryAsync(Db.DataSource, user, At, question, answer, privacy: "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, question, At.AddSeconds(-3), [open]);

        Assert.Equal("LOCAL_ONLY", await LevelAsync(unlogged));
        // The log is the record of what the answer drew on; only rows without one are compared with the memories
        // (README, privacy model: the cost of comparing grows with a user's sensitive memories).
        Assert.Equal("INTERNAL", await LevelAsync(logged));
    }

    [Fact]
    public async Task A_question_whose_answer_quotes_a_sensitive_memory_counts_in_no_org_output()
    {
        var now = new DateTimeOffset(2026, 11, 9, 6, 0, 0, TimeSpan.Zero);
        await using var services = TestHost.Build(Db, new FakeTimeProvider(now));
        for (var i = 0; i < 3; i++)
        {
            var user = await Seed.UserAsync(Db.DataSource);
            await Seed.MemoryAsync(Db.DataSource, user, now.AddDays(-30), privacy: "LOCAL_ONLY", content: DoorCode);
            for (var k = 0; k < 2; k++)
            {
                await QaSeed.QueryAsync(Db.DataSource, user, now.AddDays(-2).AddHours(i * 3 + k), "What is my lab door code?", $"From your notes: {DoorCode}.", privacy: "INTERNAL");
            }
        }

        var runner = services.GetRequiredService<JobRunner>();
        foreach (var job in new[] { "topic_extraction", "insight_generation" })
        {
            var result = await runner.RunAsync(job, JobTrigger.Cli, false, CancellationToken.None);
            Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        }

        Assert.Equal(6, await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM topic_extractions WHERE effective_privacy = 'LOCAL_ONLY'"));
        var org = string.Join("\n", await QaSeed.QueryListAsync<string>(Db.DataSource, """
            SELECT i::text FROM user_insights i WHERE scope = 'org'
            UNION ALL SELECT k::text FROM org_knowledge k
            UNION ALL SELECT topic FROM topic_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000'
            """));
        Assert.DoesNotContain("door", org, StringComparison.OrdinalIgnoreCase);
        // Each user still sees their own: the personal outputs count every extracted row of the user.
        Assert.Equal(3, await QaSeed.ScalarAsync<long>(Db.DataSource,
            "SELECT count(DISTINCT user_id) FROM topic_extractions WHERE cardinality(topics) > 0"));
    }
}
