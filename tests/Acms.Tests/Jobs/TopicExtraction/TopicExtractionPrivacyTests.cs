using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>
/// Topic extraction reads the effective levels of a whole batch at once (<c>acms_qa_privacies</c>): each row gets
/// exactly the level the per-row model (<c>acms_qa_privacy</c>) gives it, however many rows of the batch share a user,
/// a question or a retrieved memory.
/// </summary>
public sealed class TopicExtractionPrivacyTests : DatabaseTest
{
    private static readonly DateTimeOffset At = TestHost.Epoch.AddDays(-1);
    private const string Question = "What is planned for March?";

    [Fact]
    public async Task Every_row_of_a_batch_gets_the_level_of_its_own_provenance()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var other = await Seed.UserAsync(Db.DataSource);
        var open = await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "INTERNAL", content: "The March offsite is in Lisbon");
        var secret = await Seed.MemoryAsync(Db.DataSource, user, At.AddDays(-30), privacy: "CONFIDENTIAL", content: "Project Falcon layoffs are planned for March");
        var archived = Guid.NewGuid();
        await QaSeed.ScalarAsync<int>(Db.DataSource, """
            INSERT INTO memory_items_archive (memory_id, user_id, content, content_hash, tier, crs_score, semantic_score, recency_score, outcome_score,
                                              frequency_score, correction_score, access_count, created_at, updated_at, privacy_level, row_data,
                                              archive_run_id, archive_reason, archived_at)
            VALUES (@archived, @user, 'the board meets on the 3rd', 'h', 'SHORT', 0, 0, 0, 0, 0, 0, 0, now(), now(), 'LOCAL_ONLY', '{}', gen_random_uuid(), 'cleanup', now())
            RETURNING 1
            """, new { archived, user });

        var expected = new Dictionary<Guid, string>();
        async Task RowAsync(string level, Guid asker, DateTimeOffset? at, string declared, string question = Question) =>
            expected[await QaSeed.QueryAsync(Db.DataSource, asker, at, question, privacy: declared)] = level;

        await RowAsync("CONFIDENTIAL", user, At, "PUBLIC");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddSeconds(-4), [open, secret]);
        // The same question an hour later retrieved only the INTERNAL memory: the first row's log is not its own.
        await RowAsync("INTERNAL", user, At.AddHours(1), "PUBLIC");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(1).AddSeconds(-3), [open]);
        // Another user asking the same question at the same time has no log of their own.
        await RowAsync("UNKNOWN", other, At, "INTERNAL");
        await RowAsync("LOCAL_ONLY", user, At.AddHours(2), "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(2), [archived], storedQuery: "what is planned for march");
        await RowAsync("UNKNOWN", user, At.AddHours(3), "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(3), [open, Guid.NewGuid()]);
        await RowAsync("CONFIDENTIAL", user, At.AddHours(4), "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(4).AddSeconds(-3), [], privacy: "CONFIDENTIAL");
        await RowAsync("UNKNOWN", user, At.AddHours(5), "PUBLIC");
        await RowAsync("UNKNOWN", user, null, "PUBLIC");
        await RowAsync("PUBLIC", user, At.AddHours(6), "PUBLIC", "Another question?");
        await QueryLogSeed.LogAsync(Db.DataSource, user, "Another question?", At.AddHours(6).AddSeconds(-2), []);

        await using var services = TestHost.Build(Db);
        var result = await services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        var stored = (await QaSeed.QueryListAsync<(Guid Id, string Stored, string PerRow)>(Db.DataSource, """
            SELECT t.source_id, t.effective_privacy, acms_qa_privacy(q.metadata, q.user_id, q.query_text, q.response_text, q.created_at)
            FROM topic_extractions t JOIN query_history q ON q.query_id = t.source_id
            """)).ToDictionary(r => r.Id);
        Assert.Equal(expected.Count, stored.Count);
        Assert.All(expected, e => Assert.Equal((e.Value, e.Value), (stored[e.Key].Stored, stored[e.Key].PerRow)));
    }
}
