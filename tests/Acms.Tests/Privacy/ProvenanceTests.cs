using Acms.Tests.Infrastructure;

namespace Acms.Tests.Privacy;

/// <summary>
/// The effective level of a Q&amp;A row (<c>acms_qa_privacy</c>): its declared level and the memories its answer drew on,
/// as recorded in <c>query_logs</c>, strictest wins; no record = UNKNOWN.
/// </summary>
public sealed class ProvenanceTests : DatabaseTest
{
    private static readonly DateTimeOffset At = TestHost.Epoch.AddDays(-1);
    private const string Question = "What is planned for March?";

    private Task<string> LevelAsync(Guid queryId) => QaSeed.LevelAsync(Db.DataSource, queryId);

    private async Task<(Guid User, Guid Internal, Guid Confidential)> ArrangeAsync()
    {
        var user = await Seed.UserAsync(Db.DataSource);
        var owner = await Seed.UserAsync(Db.DataSource);
        var open = await Seed.MemoryAsync(Db.DataSource, owner, At.AddDays(-30), privacy: "INTERNAL", content: "The March offsite is in Lisbon");
        var secret = await Seed.MemoryAsync(Db.DataSource, owner, At.AddDays(-30), privacy: "CONFIDENTIAL", content: "Project Falcon layoffs are planned for March");
        return (user, open, secret);
    }

    [Fact]
    public async Task Without_a_query_log_the_provenance_is_unknown_whatever_the_row_declares()
    {
        var (user, _, _) = await ArrangeAsync();
        var declaredPublic = await QaSeed.QueryAsync(Db.DataSource, user, At, Question, privacy: "PUBLIC");
        var costOnly = await QaSeed.QueryAsync(Db.DataSource, user, At, "Another question?", costUsd: 0.01);

        Assert.Equal("UNKNOWN", await LevelAsync(declaredPublic));
        Assert.Equal("UNKNOWN", await LevelAsync(costOnly));
    }

    [Fact]
    public async Task A_matching_log_gives_the_strictest_of_the_declared_level_the_log_and_every_retrieved_memory()
    {
        var (user, open, secret) = await ArrangeAsync();
        var clean = await QaSeed.QueryAsync(Db.DataSource, user, At, Question, privacy: "public");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddSeconds(-4), [open]);
        var quoting = await QaSeed.QueryAsync(Db.DataSource, user, At.AddHours(1), Question, privacy: "PUBLIC");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(1).AddSeconds(-3), [open, secret]);
        var blank = await QaSeed.QueryAsync(Db.DataSource, user, At.AddHours(2), Question, privacy: "");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(2).AddSeconds(-3), [open]);
        var logSaysConfidential = await QaSeed.QueryAsync(Db.DataSource, user, At.AddHours(3), Question, privacy: "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(3).AddSeconds(-3), [], privacy: "CONFIDENTIAL");

        Assert.Equal("INTERNAL", await LevelAsync(clean));              // PUBLIC declared, INTERNAL memory
        Assert.Equal("CONFIDENTIAL", await LevelAsync(quoting));        // a CONFIDENTIAL memory beats a PUBLIC declaration
        Assert.Equal("UNKNOWN", await LevelAsync(blank));               // a blank declaration is unknown, never public
        Assert.Equal("CONFIDENTIAL", await LevelAsync(logSaysConfidential));
    }

    [Fact]
    public async Task Only_the_same_user_and_question_within_two_minutes_match()
    {
        var (user, open, secret) = await ArrangeAsync();
        var other = await Seed.UserAsync(Db.DataSource);
        var late = await QaSeed.QueryAsync(Db.DataSource, user, At, Question, privacy: "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddMinutes(-3), [secret]);          // outside the window
        await QueryLogSeed.LogAsync(Db.DataSource, other, Question, At, [secret]);                       // someone else
        await QueryLogSeed.LogAsync(Db.DataSource, user, "What is planned for April?", At, [secret]);    // another question

        Assert.Equal("UNKNOWN", await LevelAsync(late));

        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddSeconds(90), [open]);
        Assert.Equal("INTERNAL", await LevelAsync(late));
    }

    [Fact]
    public async Task A_log_matches_by_the_hash_of_the_question_when_its_text_differs()
    {
        var (user, _, secret) = await ArrangeAsync();
        var row = await QaSeed.QueryAsync(Db.DataSource, user, At, Question, privacy: "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At, [secret], storedQuery: "what is planned for march");

        Assert.Equal("CONFIDENTIAL", await LevelAsync(row));
    }

    [Fact]
    public async Task Archived_memories_count_with_their_archived_level_and_a_vanished_memory_is_unknown()
    {
        var (user, open, _) = await ArrangeAsync();
        var archived = Guid.NewGuid();
        await QaSeed.ScalarAsync<int>(Db.DataSource, """
            INSERT INTO memory_items_archive (memory_id, user_id, content, content_hash, tier, crs_score, semantic_score, recency_score, outcome_score,
                                              frequency_score, correction_score, access_count, created_at, updated_at, privacy_level, row_data,
                                              archive_run_id, archive_reason, archived_at)
            VALUES (@archived, @user, 'the board meets on the 3rd', 'h', 'SHORT', 0, 0, 0, 0, 0, 0, 0, now(), now(), 'LOCAL_ONLY', '{}', gen_random_uuid(), 'cleanup', now())
            RETURNING 1
            """, new { archived, user });
        var fromArchive = await QaSeed.QueryAsync(Db.DataSource, user, At, Question, privacy: "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At, [open, archived]);
        var vanished = await QaSeed.QueryAsync(Db.DataSource, user, At.AddHours(1), Question, privacy: "INTERNAL");
        await QueryLogSeed.LogAsync(Db.DataSource, user, Question, At.AddHours(1), [open, Guid.NewGuid()]);

        Assert.Equal("LOCAL_ONLY", await LevelAsync(fromArchive));
        Assert.Equal("UNKNOWN", await LevelAsync(vanished));
    }
}
