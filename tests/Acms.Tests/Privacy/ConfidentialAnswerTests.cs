using Acms.Domain.Common;
using Acms.Domain.Insights;
using Acms.Domain.Jobs;
using Acms.Domain.Reports;
using Acms.Tests.Infrastructure;
using Acms.Tests.Jobs.TopicExtraction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Privacy;

/// <summary>
/// Finding 1: a CONFIDENTIAL memory quoted in answers became the top org topic ("falcon-layoffs"), reached org_knowledge,
/// the org weekly report and the org summary, and was sent to the LLM — because query_history has no privacy column
/// (a missing level read as INTERNAL) and topics were taken from the answer as well as the question.
/// </summary>
public sealed class ConfidentialAnswerTests : DatabaseTest
{
    // A Monday: the weekly report, the insights and the summary all cover the days of the questions.
    private static readonly DateTimeOffset Now = new(2026, 11, 9, 6, 0, 0, TimeSpan.Zero);
    private static readonly string[] Secret = ["falcon", "layoffs"];
    private static readonly string[] Formats = ["json", "markdown", "html"];

    [Fact]
    public async Task No_token_of_a_confidential_memory_quoted_in_answers_reaches_an_org_output_or_the_llm()
    {
        var chat = new FakeChatClient("""["planning", "march"]""");
        await using var services = TestHost.Build(Db, new FakeTimeProvider(Now), configure: (s, _) => s.AddSingleton<IChatClient>(chat));
        var users = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await Seed.UserAsync(Db.DataSource));
        }

        var memory = await Seed.MemoryAsync(Db.DataSource, users[0], Now.AddDays(-20), privacy: "CONFIDENTIAL", content: "Project Falcon layoffs are planned for March");
        for (var i = 0; i < users.Count; i++)
        {
            var at = Now.AddDays(-4).AddMinutes(i * 10);
            // As in the finding: metadata carries only the cost, and nothing records which memory the answer drew on.
            await QaSeed.QueryAsync(Db.DataSource, users[i], at, "What is on the roadmap for March?",
                "According to your notes, Project Falcon layoffs are planned for March.", costUsd: 0.01);
            // The same question where ACMS logged the retrieval: the row is as confidential as the memory, question included.
            await QaSeed.QueryAsync(Db.DataSource, users[i], at.AddDays(1), "Which Falcon plans are due in March?",
                "Project Falcon layoffs are planned for March.", privacy: "INTERNAL", costUsd: 0.01);
            await QueryLogSeed.LogAsync(Db.DataSource, users[i], "Which Falcon plans are due in March?", at.AddDays(1).AddSeconds(-5), [memory]);
        }

        var runner = services.GetRequiredService<JobRunner>();
        foreach (var job in new[] { "topic_extraction", "insight_generation", "weekly_report" })
        {
            var result = await runner.RunAsync(job, JobTrigger.Cli, false, CancellationToken.None);
            Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        }

        await using var scope = services.CreateAsyncScope();
        var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
        var summary = await scope.ServiceProvider.GetRequiredService<InsightsSummaryService>().GetAsync(7, null, CancellationToken.None);
        var outputs = new List<(string Where, string Text)>
        {
            ("org_knowledge", string.Join("\n", await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT k::text FROM org_knowledge k"))),
            ("org user_insights", string.Join("\n", await QaSeed.QueryListAsync<string>(Db.DataSource, "SELECT i::text FROM user_insights i WHERE scope = 'org'"))),
            ("org rollups", string.Join("\n", await QaSeed.QueryListAsync<string>(Db.DataSource,
                "SELECT topic FROM topic_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000'"))),
            ("org summary", Json.Serialize(summary)),
            ("llm prompts", string.Join("\n", chat.Received)),
        };
        foreach (var id in await QaSeed.QueryListAsync<Guid>(Db.DataSource, "SELECT id FROM intelligence_reports WHERE scope = 'org'"))
        {
            var report = await reports.GetAsync(id, CancellationToken.None);
            outputs.AddRange(Formats.Select(f => ($"org report ({f})", ReportService.Render(report, f).Content)));
        }

        var generated = await reports.GenerateAsync(new ReportRequest("weekly", "org", Format: "html"), CancellationToken.None);
        outputs.Add(("org report (generated)", generated.Content + generated.Report.ExecutiveSummaryMd));

        foreach (var (where, text) in outputs)
        {
            foreach (var token in Secret)
            {
                Assert.False(text.Contains(token, StringComparison.OrdinalIgnoreCase), $"'{token}' reached {where}: {text[..Math.Min(text.Length, 400)]}");
            }
        }

        // What may be shared still is: the unknown-provenance questions of the two users who do not hold the memory count
        // (as INTERNAL) and their text, without the answer, is what the LLM saw. The rows tied to the confidential
        // memory count nowhere in the organisation: by their retrieval log, or (the memory's owner, with no log) because
        // the answer quotes the owner's own CONFIDENTIAL memory.
        Assert.Equal(2, summary.Data.KeyStats.TotalQueries);
        Assert.Equal(2, chat.Received.Count(p => p.Contains("What is on the roadmap for March?", StringComparison.Ordinal)));
        Assert.Equal(2, generated.Report.Metrics.QaCount);
    }
}
