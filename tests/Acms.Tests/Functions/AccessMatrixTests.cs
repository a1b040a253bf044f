using System.Text;
using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Functions.Access;
using Acms.Functions.Control;
using Acms.Functions.Insights;
using Acms.Functions.Jobs;
using Acms.Functions.Jobs.Decay;
using Acms.Functions.Reports;
using Acms.Functions.Status;
using Acms.Functions.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Functions;

/// <summary>
/// Every HTTP route, in both route families, × {anonymous, unknown principal, user A, user B, admin, function key} ×
/// {A's data, B's data, org}, called directly on the function classes with the caller the access middleware would attach
/// (the end-to-end suite runs the same matrix through the real host). Expected statuses are written out by hand.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixFixture fixture) : IClassFixture<AccessMatrixFixture>
{
    public static readonly string[] Callers = ["anonymous", "unknown", "user_a", "user_b", "admin", "function_key"];
    public static readonly string[] DataRoutes = ["insights_summary", "generate_report", "list_reports", "get_report"];
    public static readonly string[] AdminRoutes = ["job_status", "job_runs", "job_run", "run_job", "pause_job", "resume_job", "list_users"];
    public static readonly string[] Targets = ["a", "b", "org"];

    public static TheoryData<string, string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var family in new[] { "key", "signed_in" })
        {
            foreach (var caller in Callers)
            {
                foreach (var route in DataRoutes)
                {
                    foreach (var target in Targets)
                    {
                        data.Add(family, caller, route, target);
                    }
                }

                foreach (var route in AdminRoutes.Append("org_knowledge").Append("me"))
                {
                    data.Add(family, caller, route, "-");
                }
            }
        }

        return data;
    }

    /// <summary>The decision table, by hand (README "Who can see what").</summary>
    public static int Expected(string caller, string route, string target)
    {
        switch (caller)
        {
            case "anonymous":
                return 401;
            case "admin" or "function_key":
                return 200;
            case "unknown":
                return route == "me" ? 200 : 403;
        }

        var own = (caller == "user_a" && target == "a") || (caller == "user_b" && target == "b");
        return route switch
        {
            "me" => 200,
            "org_knowledge" => 200,
            "job_status" or "job_runs" or "job_run" or "run_job" or "pause_job" or "resume_job" or "list_users" => 403,
            "get_report" => own || target == "org" ? 200 : 404, // another user's report answers like a missing one
            "generate_report" => own ? 200 : 403,              // a person generates only their own; org reports are admin work
            _ => own || target == "org" ? 200 : 403,
        };
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_route_answers_each_caller_with_its_expected_status(string family, string caller, string route, string target)
    {
        var (status, body) = await CallAsync(family, caller, route, target);

        Assert.True(Expected(caller, route, target) == status, $"{family} {route} ({target}) as {caller}: expected {Expected(caller, route, target)}, got {status}: {body}");
        if (caller != "user_a" && caller != "admin" && caller != "function_key")
        {
            Assert.DoesNotContain(fixture.UserA.ToString(), body, StringComparison.OrdinalIgnoreCase);
            Assert.All(AccessMatrixFixture.AMarkers, marker => Assert.DoesNotContain(marker, body, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task User_a_s_own_answers_do_hold_the_markers_so_the_leak_check_can_fail()
    {
        var (_, summary) = await CallAsync("signed_in", "user_a", "insights_summary", "a");
        var (_, report) = await CallAsync("signed_in", "user_a", "get_report", "a");

        Assert.Contains(AccessMatrixFixture.AMarkers, m => summary.Contains(m, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(AccessMatrixFixture.AMarkers, m => report.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_person_s_unfiltered_report_list_holds_their_own_and_the_org_s_reports_only()
    {
        var (status, body) = await SendAsync("signed_in", "user_b", "list_reports", "");

        Assert.Equal(200, status);
        Assert.Contains(fixture.Reports["b"].ToString(), body);
        Assert.Contains(fixture.Reports["org"].ToString(), body);
        Assert.DoesNotContain(fixture.Reports["a"].ToString(), body);
        Assert.DoesNotContain(fixture.UserA.ToString(), body);
    }

    [Theory]
    [InlineData("list_reports", "?scope=user&user_id={a}")]
    [InlineData("list_reports", "?user_id={a}&limit=100")]
    [InlineData("insights_summary", "?user_id={a}&period_days=365")]
    [InlineData("generate_report", """{"scope":"user","user_id":"{a}","format":"markdown"}""")]
    [InlineData("generate_report", """{"report_type":"custom","scope":"user","user_id":"{a}","period_start":"2026-01-01","period_end":"2026-11-01"}""")]
    public async Task No_parameter_widens_a_person_s_scope(string route, string input)
    {
        var (status, body) = await SendAsync("signed_in", "user_b", route, input.Replace("{a}", fixture.UserA.ToString(), StringComparison.Ordinal));

        Assert.Equal(403, status);
        Assert.All(AccessMatrixFixture.AMarkers, marker => Assert.DoesNotContain(marker, body, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_person_generating_a_user_report_without_a_user_id_gets_their_own()
    {
        var (status, body) = await SendAsync("signed_in", "user_a", "generate_report", """{"scope":"user"}""");

        Assert.Equal(200, status);
        Assert.Contains(fixture.UserA.ToString(), body);
    }

    private Caller CallerFor(string name) => name switch
    {
        "anonymous" => Caller.Anonymous,
        "unknown" => new Caller(CallerKind.UnknownPrincipal, null, "stranger@example.org"),
        "user_a" => new Caller(CallerKind.User, fixture.UserA, "a@example.org"),
        "user_b" => new Caller(CallerKind.User, fixture.UserB, "b@example.org"),
        "admin" => new Caller(CallerKind.Admin, null, "admin@example.org"),
        "function_key" => Caller.Automation,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private Task<(int Status, string Body)> CallAsync(string family, string caller, string route, string target)
    {
        var userId = target switch { "a" => fixture.UserA, "b" => fixture.UserB, _ => (Guid?)null };
        var input = route switch
        {
            "insights_summary" => userId is null ? "" : $"?user_id={userId}",
            "list_reports" => userId is null ? "?scope=org" : $"?user_id={userId}",
            "generate_report" => userId is null ? """{"scope":"org"}""" : $$"""{"scope":"user","user_id":"{{userId}}"}""",
            "get_report" => fixture.Reports[target].ToString(),
            "job_run" => fixture.RunId.ToString(),
            _ => "",
        };
        return SendAsync(family, caller, route, input);
    }

    private async Task<(int Status, string Body)> SendAsync(string family, string callerName, string route, string input)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        T Create<T>() => ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider);
        var key = family == "key";
        var context = new DefaultHttpContext();
        AccessControl.Attach(context, CallerFor(callerName));
        var request = context.Request;
        if (input.StartsWith('{'))
        {
            var bytes = Encoding.UTF8.GetBytes(input);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = "application/json";
        }
        else if (input.StartsWith('?'))
        {
            request.QueryString = new QueryString(input);
        }

        var ct = CancellationToken.None;
        var call = route switch
        {
            "insights_summary" => key ? Create<InsightsFunctions>().InsightsSummary(request, ct) : Create<InsightsFunctions>().SignedInInsightsSummary(request, ct),
            "generate_report" => key ? Create<ReportsFunctions>().GenerateReport(request, ct) : Create<ReportsFunctions>().SignedInGenerateReport(request, ct),
            "list_reports" => key ? Create<ReportsFunctions>().ListReports(request, ct) : Create<ReportsFunctions>().SignedInListReports(request, ct),
            "get_report" => key ? Create<ReportsFunctions>().GetReport(request, input, ct) : Create<ReportsFunctions>().SignedInGetReport(request, input, ct),
            "org_knowledge" => key ? Create<InsightsFunctions>().OrgKnowledge(request, ct) : Create<InsightsFunctions>().SignedInOrgKnowledge(request, ct),
            "list_users" => key ? Create<UsersFunctions>().ListUsers(request, ct) : Create<UsersFunctions>().SignedInListUsers(request, ct),
            "job_status" => key ? Create<JobStatusFunctions>().JobStatus(request, ct) : Create<JobStatusFunctions>().SignedInJobStatus(request, ct),
            "job_runs" => key ? Create<JobStatusFunctions>().JobRuns(request, ct) : Create<JobStatusFunctions>().SignedInJobRuns(request, ct),
            "job_run" => key ? Create<JobStatusFunctions>().JobRun(request, input, ct) : Create<JobStatusFunctions>().SignedInJobRun(request, input, ct),
            "run_job" => RunJobAsync(Create<DecayFunctions>(), Create<SignedInJobFunctions>(), key, request, ct),
            "pause_job" => key ? Create<JobPauseFunctions>().PauseJob(request, "cleanup", ct) : Create<JobPauseFunctions>().SignedInPauseJob(request, "cleanup", ct),
            "resume_job" => key ? Create<JobPauseFunctions>().ResumeJob(request, "cleanup", ct) : Create<JobPauseFunctions>().SignedInResumeJob(request, "cleanup", ct),
            "me" => key ? Create<CallerFunctions>().Me(request, ct) : Create<CallerFunctions>().SignedInMe(request, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
        };
        return Read(await call.AnswerAsync()); // a thrown denial or 404 answers as the error middleware makes it
    }

    private static Task<IActionResult> RunJobAsync(DecayFunctions decay, SignedInJobFunctions signedIn, bool key, HttpRequest request, CancellationToken ct)
    {
        request.QueryString = new QueryString("?dry_run=true");
        return key ? decay.DecayRun(request, ct) : signedIn.SignedInRunJob(request, "decay", ct);
    }

    private static (int Status, string Body) Read(IActionResult result) => result switch
    {
        JsonResult json => (json.StatusCode ?? 200, Json.Serialize(json.Value)),
        ContentResult content => (content.StatusCode ?? 200, content.Content ?? ""),
        ObjectResult obj => (obj.StatusCode ?? 200, Json.Serialize(obj.Value)),
        _ => throw new InvalidOperationException(result.GetType().Name),
    };
}
