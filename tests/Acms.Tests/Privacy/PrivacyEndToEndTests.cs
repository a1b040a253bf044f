using Acms.Domain.Common;
using Acms.Domain.Demo;
using Acms.Domain.Insights;
using Acms.Domain.Jobs;
using Acms.Domain.Reports;
using Acms.Tests.Infrastructure;
using Acms.Tests.Jobs.TopicExtraction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Acms.Tests.Privacy;

/// <summary>
/// The demo's store (memories, Q&amp;A, retrieval logs, and CONFIDENTIAL / LOCAL_ONLY memories quoted in answers), every
/// job in schedule order, then every organisation output and every LLM prompt (and every log line) read back: no token
/// that only a CONFIDENTIAL or LOCAL_ONLY memory contains may appear in any of them.
/// </summary>
public sealed class PrivacyEndToEndTests(ITestOutputHelper output) : DatabaseTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 9, 6, 0, 0, TimeSpan.Zero);
    private static readonly string[] Formats = ["json", "markdown", "html"];

    // Words (4+ characters) of CONFIDENTIAL and LOCAL_ONLY memories that no text allowed to be shared contains: not a
    // PUBLIC or INTERNAL memory, not a question, not an answer that quotes no such memory.
    private const string SecretTokensSql = """
        WITH secret AS (
            SELECT DISTINCT w FROM memory_items m CROSS JOIN LATERAL regexp_split_to_table(lower(m.content), '[^a-z0-9]+') AS w
            WHERE m.privacy_level IN ('CONFIDENTIAL', 'LOCAL_ONLY') AND length(w) >= 4
        ),
        shared AS (
            SELECT w FROM memory_items m CROSS JOIN LATERAL regexp_split_to_table(lower(m.content), '[^a-z0-9]+') AS w
            WHERE m.privacy_level IN ('PUBLIC', 'INTERNAL')
            UNION
            SELECT w FROM query_history q CROSS JOIN LATERAL regexp_split_to_table(lower(q.query_text), '[^a-z0-9]+') AS w
            UNION
            SELECT w FROM query_history q CROSS JOIN LATERAL regexp_split_to_table(lower(q.response_text), '[^a-z0-9]+') AS w
            WHERE NOT EXISTS (SELECT 1 FROM memory_items m
                              WHERE m.privacy_level IN ('CONFIDENTIAL', 'LOCAL_ONLY') AND position(m.content IN q.response_text) > 0)
        )
        SELECT w FROM secret EXCEPT SELECT w FROM shared ORDER BY 1
        """;

    [Fact]
    public async Task No_token_unique_to_a_confidential_or_local_only_memory_reaches_any_org_output_llm_prompt_or_log()
    {
        var chat = new FakeChatClient("""["team-planning", "weekly-review"]""");
        var logs = new CapturingLoggerProvider();
        await using var services = TestHost.Build(Db, new FakeTimeProvider(Now), configure: (s, _) =>
        {
            s.AddSingleton<IChatClient>(chat);
            s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        });
        var now = Now.UtcDateTime;
        var memories = await MemorySeeder.SeedAsync(Db.DataSource, users: 8, memoriesPerUser: 25, now, seed: 11, CancellationToken.None);
        await QueryHistorySeeder.SeedAsync(Db.DataSource, memories.UserIds, now, weeks: 3, perUserPerWeek: 12, seed: 11, CancellationToken.None);
        var provenance = await ProvenanceSeeder.SeedAsync(Db.DataSource, memories.UserIds, now, seed: 11, CancellationToken.None);
        var secrets = await QaSeed.QueryListAsync<string>(Db.DataSource, SecretTokensSql);
        output.WriteLine($"{provenance}; secret tokens: {string.Join(", ", secrets)}");

        // The leak path is exercised: secret tokens exist and the answers quote them.
        Assert.True(secrets.Count >= 10, string.Join(", ", secrets));
        Assert.True(provenance.QuotingQuestions >= 20);
        Assert.True(await QaSeed.ScalarAsync<long>(Db.DataSource, "SELECT count(*) FROM query_history WHERE response_text ILIKE '%kestrel%'") > 0);

        var runner = services.GetRequiredService<JobRunner>();
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            var result = await runner.RunAsync(job.Name, JobTrigger.Cli, false, CancellationToken.None);
            Assert.True(result.Status == JobRunStatus.Succeeded, $"{job.Name}: {result.Error}");
        }

        await using var scope = services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
        var summaries = scope.ServiceProvider.GetRequiredService<InsightsSummaryService>();
        var outputs = new List<(string Where, string Text)>
        {
            ("org_knowledge", Rows(await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT k::text FROM org_knowledge k"))),
            ("org user_insights", Rows(await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT i::text FROM user_insights i WHERE scope = 'org'"))),
            ("org rollups", Rows(await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT d::text FROM topic_daily_stats d WHERE user_id = '00000000-0000-0000-0000-000000000000'"))),
            ("llm prompts", Rows(chat.Received)),
            ("logs", Rows(logs.Messages)),
        };
        foreach (var days in new[] { 1, 7, 30, 365 })
        {
            outputs.Add(($"org summary ({days} days)", Json.Serialize(await summaries.GetAsync(days, null, CancellationToken.None))));
        }

        foreach (var request in new[]
                 {
                     new ReportRequest("weekly", "org"), new ReportRequest("monthly", "org"),
                     new ReportRequest("custom", "org", null, "2026-10-01", "2026-11-10"),
                 })
        {
            await reports.GenerateAsync(request, CancellationToken.None);
        }

        var orgReports = await QaSeed.QueryListAsync<Guid>(Db.DataSource, "SELECT id FROM intelligence_reports WHERE scope = 'org'");
        Assert.True(orgReports.Count >= 3);
        foreach (var id in orgReports)
        {
            var report = await reports.GetAsync(id, CancellationToken.None);
            outputs.AddRange(Formats.Select(f => ($"org report {report.ReportType} ({f})", ReportService.Render(report, f).Content)));
        }

        outputs.Add(("org report rows", Rows(await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT r::text FROM intelligence_reports r WHERE scope = 'org'"))));

        var leaks = (from o in outputs from token in secrets where o.Text.Contains(token, StringComparison.OrdinalIgnoreCase) select $"{token} in {o.Where}").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(40)));

        // The outputs are not empty for want of data: the organisation has topics and the LLM was used.
        Assert.NotEmpty(await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT topic FROM org_knowledge"));
        Assert.NotEmpty(chat.Received);
        output.WriteLine($"checked {outputs.Count} outputs, {outputs.Sum(o => o.Text.Length):N0} characters, {chat.Received.Count} prompts, {logs.Messages.Count} log lines");
    }

    private static string Rows(IEnumerable<string> rows) => string.Join("\n", rows);
}
