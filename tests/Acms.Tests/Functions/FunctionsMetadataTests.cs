using System.Text.Json;
using System.Text.RegularExpressions;
using Acms.Domain.Jobs;
using Acms.Functions.Access;
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

    // The keys/sign-in decision (README "Keys and sign-in, per route"): every route exists in the function-key family
    // (AuthorizationLevel.Function: automation, or a principal that came with the key) and in the sign-in family under
    // signed-in/ (Anonymous at the host: the app requires a trusted principal, so with sign-in off it serves nothing).
    public static TheoryData<string, string, string, string> HttpFunctions => new()
    {
        { "DecayRun", "post", "v2/jobs/decay/run", "Function" },
        { "DedupRun", "post", "v2/jobs/dedup/run", "Function" },
        { "CleanupRun", "post", "v2/jobs/cleanup/run", "Function" },
        { "TopicExtractionRun", "post", "v2/jobs/topic_extraction/run", "Function" },
        { "InsightGenerationRun", "post", "v2/jobs/insight_generation/run", "Function" },
        { "WeeklyReportRun", "post", "v2/jobs/weekly_report/run", "Function" },
        { "SignedInRunJob", "post", "signed-in/v2/jobs/{job}/run", "Anonymous" },
        { "InsightsSummary", "get", "v2/insights/summary", "Function" },
        { "SignedInInsightsSummary", "get", "signed-in/v2/insights/summary", "Anonymous" },
        { "GenerateReport", "post", "v2/reports/generate", "Function" },
        { "SignedInGenerateReport", "post", "signed-in/v2/reports/generate", "Anonymous" },
        { "ListReports", "get", "v2/reports", "Function" },
        { "SignedInListReports", "get", "signed-in/v2/reports", "Anonymous" },
        { "GetReport", "get", "v2/reports/{id}", "Function" },
        { "SignedInGetReport", "get", "signed-in/v2/reports/{id}", "Anonymous" },
        { "JobStatus", "get", "v2/jobs/status", "Function" },
        { "SignedInJobStatus", "get", "signed-in/v2/jobs/status", "Anonymous" },
        { "JobRuns", "get", "v2/jobs/runs", "Function" },
        { "SignedInJobRuns", "get", "signed-in/v2/jobs/runs", "Anonymous" },
        { "JobRun", "get", "v2/jobs/runs/{id}", "Function" },
        { "SignedInJobRun", "get", "signed-in/v2/jobs/runs/{id}", "Anonymous" },
        { "Me", "get", "v2/me", "Function" },
        { "SignedInMe", "get", "signed-in/v2/me", "Anonymous" },
        { "PauseJob", "post", "v2/jobs/{job}/pause", "Function" },
        { "SignedInPauseJob", "post", "signed-in/v2/jobs/{job}/pause", "Anonymous" },
        { "ResumeJob", "post", "v2/jobs/{job}/resume", "Function" },
        { "SignedInResumeJob", "post", "signed-in/v2/jobs/{job}/resume", "Anonymous" },
        { "ListUsers", "get", "v2/users", "Function" },
        { "SignedInListUsers", "get", "signed-in/v2/users", "Anonymous" },
        { "OrgKnowledge", "get", "v2/insights/org-knowledge", "Function" },
        { "SignedInOrgKnowledge", "get", "signed-in/v2/insights/org-knowledge", "Anonymous" },
        // Public: the same for everyone and no data (a browser loads the page and its files without custom headers).
        { "Dashboard", "get", "dashboard", "Anonymous" },
        { "DashboardAsset", "get", "dashboard/assets/{*path}", "Anonymous" },
        // Health details name jobs, schedules and lag: automation and operators only.
        { "HealthDetails", "get", "health/details", "Function" },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Each_http_function_has_its_route_method_and_auth_level(string function, string method, string route, string level)
    {
        var trigger = Trigger(function);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(level, trigger.GetProperty("authLevel").GetString());
    }

    private static List<(string Name, string Route, string Level, string Method)> HttpTriggers() =>
        [.. Functions.Select(f => (Name: f.GetProperty("name").GetString()!, Binding: f.GetProperty("bindings").EnumerateArray()
                .FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger")))
            .Where(x => x.Binding.ValueKind == JsonValueKind.Object)
            .Where(x => x.Binding.GetProperty("route").GetString() != HttpRoutes.UnmatchedRoute) // many methods; its own test below
            .Select(x => (x.Name, x.Binding.GetProperty("route").GetString()!, x.Binding.GetProperty("authLevel").GetString()!,
                x.Binding.GetProperty("methods").EnumerateArray().Single().GetString()!))];

    [Fact]
    public void One_anonymous_catch_all_takes_every_method_the_other_routes_do_not()
    {
        var trigger = Trigger("UnmatchedRoute");

        Assert.Equal(HttpRoutes.UnmatchedRoute, trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get", "post", "put", "patch", "delete", "head", "options"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    // The health details are for operators' probes and alerts, which hold a key; no person signs in to read them, so the
    // route has no sign-in twin and is excluded from sign-in by its own path (infra/modules/functionapp.bicep).
    private const string OperatorProbeRoute = "health/details";

    [Fact]
    public void Every_route_is_a_key_route_under_v2_or_an_anonymous_sign_in_or_public_route()
    {
        var triggers = HttpTriggers();

        Assert.NotEmpty(triggers);
        Assert.All(triggers, t => Assert.True(
            (t.Level == "Function" && (t.Route.StartsWith("v2/", StringComparison.Ordinal) || t.Route == OperatorProbeRoute))
            || (t.Level == "Anonymous" && (t.Route.StartsWith(HttpRoutes.SignedInPrefix, StringComparison.Ordinal) || HttpRoutes.PublicRoutes.Contains(t.Route))),
            $"{t.Name}: {t.Level} route '{t.Route}' breaks the keys/sign-in table"));
    }

    [Fact]
    public void Every_key_route_has_a_sign_in_twin_with_the_same_method()
    {
        var triggers = HttpTriggers();
        var signedIn = triggers.Where(t => t.Level == "Anonymous").Select(t => (t.Method, t.Route)).ToHashSet();
        var jobRun = JobRunRoute();

        Assert.All(triggers.Where(t => t.Level == "Function" && t.Route != OperatorProbeRoute), t =>
        {
            var twin = HttpRoutes.SignedInPrefix + jobRun.Replace(t.Route, "v2/jobs/{job}/run");
            Assert.True(signedIn.Contains((t.Method, twin)), $"{t.Name} ({t.Method} {t.Route}) has no sign-in twin {twin}");
        });
    }

    [Fact]
    public void The_app_reads_the_same_auth_level_and_route_for_every_function_as_the_host()
    {
        var triggers = HttpTriggers();

        Assert.Equal(triggers.Count + 1, HttpRoutes.All.Count); // + the catch-all
        Assert.All(triggers, t =>
        {
            var route = HttpRoutes.Find(t.Name);
            Assert.NotNull(route);
            Assert.Equal(t.Route, route.Route);
            Assert.Equal(t.Level, route.Level.ToString());
        });
    }

    [Fact]
    public void The_metadata_lists_exactly_the_functions_under_test()
    {
        var expected = Timers.Select(t => (string)t[0]).Concat(HttpFunctions.Select(h => (string)h[0])).Append("Health").Append("UnmatchedRoute").Order();
        Assert.Equal(expected, Functions.Select(f => f.GetProperty("name").GetString()!).Order());
    }

    [GeneratedRegex("^v2/jobs/[a-z_]+/run$")]
    private static partial Regex JobRunRoute();

    [GeneratedRegex("^%([A-Za-z0-9_]+)%$")]
    private static partial Regex SettingReference();
}
