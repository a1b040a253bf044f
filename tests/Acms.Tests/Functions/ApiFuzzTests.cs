using System.Text;
using System.Text.Json;
using Acms.Domain.Common;
using Acms.Functions.Insights;
using Acms.Functions.Jobs;
using Acms.Functions.Reports;
using Acms.Functions.Status;
using Acms.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Acms.Tests.Functions;

/// <summary>
/// Finding 7: out-of-range dates answered 500. Every parameter of every API is walked through out-of-range, empty, huge,
/// negative, wrong-type and far-date values: no answer may be a 500. An exception that escapes a function is counted
/// the way the HTTP middleware answers it (a request error → 4xx, anything else → 500).
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output) : DatabaseTest
{
    private static readonly string[] Values =
    [
        "", " ", "0", "-1", "-99999999999", "1", "7", "365", "366", "2147483648", "99999999999999999999999", "1.5", "1e9", "NaN", "abc",
        "true", "false", "null", "[]", "{}", "9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "1970-01-01", "2200-12-31", "2201-01-01",
        "2026-11-02T03:00:00+14:00", "-2026-01-01", "00000000-0000-0000-0000-000000000000", "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        "' OR 1=1 --", "%00", "\u0000", "💥", "user", "org", "weekly", "custom", "html", "decay", new string('x', 10_000),
    ];

    [Fact]
    public async Task No_parameter_value_of_any_api_answers_500()
    {
        var now = new DateTimeOffset(2026, 11, 9, 6, 0, 0, TimeSpan.Zero);
        await using var services = TestHost.Build(Db, new FakeTimeProvider(now));
        await using var scope = services.CreateAsyncScope();
        var user = await Seed.UserAsync(Db.DataSource);
        await TopicSeed.ManyAsync(Db.DataSource, user, ["kafka"], 4, now.AddDays(-6), now);
        T Create<T>() => ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider);
        var insights = Create<InsightsFunctions>();
        var reports = Create<ReportsFunctions>();
        var status = Create<JobStatusFunctions>();
        var triggers = Create<JobTriggers>();
        var generated = JsonDocument.Parse(((ContentResult)await reports.GenerateReport(Post("""{"scope":"org"}"""), CancellationToken.None)).Content!).RootElement;
        var reportId = (generated.TryGetProperty("data", out var data) ? data : generated).GetProperty("id").GetString()!;

        var endpoints = new List<(string Name, string[] Parameters, Func<Dictionary<string, string>, Task<IActionResult>> Call)>
        {
            ("GET /v2/insights/summary", ["period_days", "user_id"], q => insights.InsightsSummary(Get(q), CancellationToken.None)),
            ("GET /v2/reports", ["scope", "user_id", "limit"], q => reports.ListReports(Get(q), CancellationToken.None)),
            ("GET /v2/reports/{id}", ["id", "format"], q => reports.GetReport(Get(q), q.GetValueOrDefault("id", reportId), CancellationToken.None)),
            ("GET /v2/jobs/runs", ["job", "status", "trigger", "limit"], q => status.JobRuns(Get(q), CancellationToken.None)),
            ("GET /v2/jobs/runs/{id}", ["id"], q => status.JobRun(Get(q), q.GetValueOrDefault("id", Guid.NewGuid().ToString()), CancellationToken.None)),
            ("POST /v2/jobs/decay/run", ["dry_run"], q => triggers.OnHttpRunAsync("decay", Get(q), CancellationToken.None)),
        };

        var answers = new Dictionary<int, int>();
        var failures = new List<string>();
        async Task CheckAsync(string what, Func<Task<IActionResult>> call)
        {
            var code = await StatusOfAsync(call);
            answers[code] = answers.GetValueOrDefault(code) + 1;
            if (code >= 500)
            {
                failures.Add($"{what} → {code}");
            }
        }

        foreach (var (name, parameters, call) in endpoints)
        {
            foreach (var parameter in parameters)
            {
                foreach (var value in Values)
                {
                    await CheckAsync($"{name} {parameter}={Show(value)}", () => call(new() { [parameter] = value }));
                }
            }
        }

        // The report request body: every field as a JSON string and as raw JSON of the wrong type.
        string[] fields = ["report_type", "scope", "user_id", "period_start", "period_end", "format"];
        string[] rawValues = ["0", "-1", "1e308", "true", "null", "[]", "{}", "\"\"", "99999999999999999999999"];
        foreach (var field in fields)
        {
            var bodies = Values.Select(v => JsonSerializer.Serialize(v)).Concat(rawValues);
            foreach (var value in bodies)
            {
                foreach (var basis in new[] { """"scope":"org"""", """"scope":"user","user_id":"{USER}"""", """"report_type":"custom","scope":"org","period_start":"2026-10-01","period_end":"2026-10-08"""" })
                {
                    var body = "{" + basis.Replace("{USER}", user.ToString(), StringComparison.Ordinal) + $",\"{field}\":{value}" + "}";
                    await CheckAsync($"POST /v2/reports/generate {Show(body)}", () => reports.GenerateReport(Post(body), CancellationToken.None));
                }
            }
        }

        foreach (var body in new[] { "", "null", "[]", "\"weekly\"", "{", "{\"scope\":", new string('[', 5000) })
        {
            await CheckAsync($"POST /v2/reports/generate body {Show(body)}", () => reports.GenerateReport(Post(body), CancellationToken.None));
        }

        output.WriteLine($"answers: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        Assert.True(answers.Where(a => a.Key is >= 400 and < 500).Sum(a => a.Value) > 300, "the walk must hit the validation paths");
    }

    private static async Task<int> StatusOfAsync(Func<Task<IActionResult>> call)
    {
        try
        {
            return await call() switch
            {
                IStatusCodeActionResult { StatusCode: { } code } => code,
                JsonResult or ContentResult => 200,
                _ => 599, // not an answer the host knows how to send
            };
        }
        catch (Exception ex) when (ex is AcmsValidationException or JsonException or BadHttpRequestException || ex.InnerException is JsonException)
        {
            return 400;
        }
        catch (NotFoundException)
        {
            return 404;
        }
        catch (Exception)
        {
            return 500;
        }
    }

    private static string Show(string value) => value.Length > 60 ? value[..60] + $"…({value.Length})" : value;

    // As automation (a function key): the fuzz is about parameter handling, past the access check.
    private static HttpRequest Get(Dictionary<string, string>? query = null) =>
        AutomationRequests.Get((query ?? []).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));

    private static HttpRequest Post(string body) => AutomationRequests.Post(body);
}
