using System.Text.Json;
using System.Text.RegularExpressions;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;

namespace Acms.Tests.Functions;

/// <summary>The host sees only functions.metadata: these tests read what the Worker SDK generated, as the host would.</summary>
public sealed partial class FunctionsMetadataTests
{
    private static readonly JsonElement[] Functions = Load();

    private static JsonElement[] Load()
    {
        var path = RepositoryFiles.FunctionsOutput("functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}: build Acms.Functions first.");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToArray();
    }

    private static JsonElement Trigger(string function) =>
        Functions.Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static Dictionary<string, string?> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.At("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
    }

    public static TheoryData<string, string, string> Timers => new()
    {
        { "DecayTimer", "DecaySchedule", JobDefinitions.Decay.DefaultSchedule },
        { "DedupTimer", "DedupSchedule", JobDefinitions.Dedup.DefaultSchedule },
        { "CleanupTimer", "CleanupSchedule", JobDefinitions.Cleanup.DefaultSchedule },
        { "TopicExtractionTimer", "TopicExtractionSchedule", JobDefinitions.TopicExtraction.DefaultSchedule },
        { "InsightGenerationTimer", "InsightGenerationSchedule", JobDefinitions.InsightGeneration.DefaultSchedule },
        { "WeeklyReportTimer", "WeeklyReportSchedule", JobDefinitions.WeeklyReport.DefaultSchedule },
    };

    [Theory]
    [MemberData(nameof(Timers))]
    public void Each_job_timer_reads_its_schedule_from_a_setting_that_the_sample_settings_define_with_the_default(string function, string setting, string defaultSchedule)
    {
        var trigger = Trigger(function);

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal($"%{setting}%", trigger.GetProperty("schedule").GetString());
        Assert.Equal(defaultSchedule, SampleSettings()[setting]);
    }

    [Fact]
    public void Every_timer_schedule_setting_is_defined_in_the_sample_settings()
    {
        var settings = SampleSettings();
        var timers = Functions.SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "timerTrigger")
            .Select(b => b.GetProperty("schedule").GetString()!)
            .ToList();

        Assert.NotEmpty(timers);
        Assert.All(timers, schedule =>
        {
            var match = SettingReference().Match(schedule);
            Assert.True(match.Success, $"timer schedule '{schedule}' is hard-coded; it must be a %Setting%");
            Assert.True(settings.ContainsKey(match.Groups[1].Value), $"{match.Groups[1].Value} missing from local.settings.sample.json");
        });
    }

    public static TheoryData<string, string, string> HttpFunctions => new()
    {
        { "DecayRun", "post", "v2/jobs/decay/run" },
        { "DedupRun", "post", "v2/jobs/dedup/run" },
        { "CleanupRun", "post", "v2/jobs/cleanup/run" },
        { "TopicExtractionRun", "post", "v2/jobs/topic_extraction/run" },
        { "InsightGenerationRun", "post", "v2/jobs/insight_generation/run" },
        { "WeeklyReportRun", "post", "v2/jobs/weekly_report/run" },
        { "InsightsSummary", "get", "v2/insights/summary" },
        { "GenerateReport", "post", "v2/reports/generate" },
        { "ListReports", "get", "v2/reports" },
        { "GetReport", "get", "v2/reports/{id}" },
        { "JobStatus", "get", "v2/jobs/status" },
        { "JobRuns", "get", "v2/jobs/runs" },
        { "JobRun", "get", "v2/jobs/runs/{id}" },
        { "PauseJob", "post", "v2/jobs/{job}/pause" },
        { "ResumeJob", "post", "v2/jobs/{job}/resume" },
        { "ListUsers", "get", "v2/users" },
        { "OrgKnowledge", "get", "v2/insights/org-knowledge" },
        { "Dashboard", "get", "dashboard" },
    };

    // The dashboard's scripts and styles: a browser loads them without custom headers, and the key must stay out of URLs.
    // They are the same embedded files for everyone and carry no data; every data route needs the key.
    public static TheoryData<string, string, string> AnonymousHttpFunctions => new()
    {
        { "DashboardAsset", "get", "dashboard/assets/{*path}" },
    };

    [Theory]
    [MemberData(nameof(AnonymousHttpFunctions))]
    public void Only_the_dashboard_assets_are_anonymous(string function, string method, string route)
    {
        var trigger = Trigger(function);

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Each_http_function_has_its_route_method_and_function_auth_level(string function, string method, string route)
    {
        var trigger = Trigger(function);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void No_http_function_but_the_dashboard_assets_is_anonymous()
    {
        var anonymous = AnonymousHttpFunctions.Select(a => (string)a[0]).ToHashSet();
        var levels = Functions.Where(f => !anonymous.Contains(f.GetProperty("name").GetString()!))
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .Select(b => b.GetProperty("authLevel").GetString());

        Assert.All(levels, level => Assert.Equal("Function", level));
    }

    [Fact]
    public void The_metadata_lists_exactly_the_functions_under_test()
    {
        var expected = Timers.Select(t => (string)t[0]).Concat(HttpFunctions.Select(h => (string)h[0])).Concat(AnonymousHttpFunctions.Select(h => (string)h[0])).Order();
        Assert.Equal(expected, Functions.Select(f => f.GetProperty("name").GetString()!).Order());
    }

    [GeneratedRegex("^%([A-Za-z0-9_]+)%$")]
    private static partial Regex SettingReference();
}
