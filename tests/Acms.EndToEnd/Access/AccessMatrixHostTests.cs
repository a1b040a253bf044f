using System.Net;
using System.Text;
using System.Text.Json;
using Acms.EndToEnd.Infrastructure;
using Acms.Tests.Infrastructure;

namespace Acms.EndToEnd.Access;

/// <summary>
/// Every HTTP route in both families × {anonymous, unknown principal, user A, user B, admin, function key} × {A's data,
/// B's data, org}, through the real host (its key check included) with sign-in on. A signed-in caller sends only the
/// principal (a person holds no key); the function-key caller sends only the key. Expected statuses written by hand.
/// </summary>
[Collection(AccessHostCollection.Name)]
public sealed class AccessMatrixHostTests(AccessHost host)
{
    private static readonly string[] Callers = ["anonymous", "unknown", "user_a", "user_b", "admin", "function_key"];
    private static readonly string[] Targets = ["a", "b", "org"];
    private static readonly string[] DataRoutes = ["insights_summary", "generate_report", "list_reports", "get_report"];
    private static readonly string[] OtherRoutes = ["org_knowledge", "job_status", "job_runs", "job_run", "run_job", "pause_job", "resume_job", "list_users", "me"];

    private static int Expected(string family, string caller, string route, string target)
    {
        if (family == "key")
        {
            return caller == "function_key" ? 200 : 401; // the host: no key, no entry (a person never holds the key)
        }

        switch (caller)
        {
            case "anonymous" or "function_key":
                return 401; // sign-in routes need a principal; a key is not one
            case "admin":
                return 200;
            case "unknown":
                return route == "me" ? 200 : 403;
        }

        var own = (caller == "user_a" && target == "a") || (caller == "user_b" && target == "b");
        return route switch
        {
            "me" or "org_knowledge" => 200,
            "job_status" or "job_runs" or "job_run" or "run_job" or "pause_job" or "resume_job" or "list_users" => 403,
            "get_report" => own || target == "org" ? 200 : 404,
            "generate_report" => own ? 200 : 403,
            _ => own || target == "org" ? 200 : 403,
        };
    }

    [SkippableFact]
    public async Task Every_route_answers_every_caller_as_the_table_says_and_no_one_else_sees_a_s_data()
    {
        host.RequireHost();
        var failures = new List<string>();
        var cells = 0;
        foreach (var family in new[] { "key", "signed_in" })
        {
            foreach (var caller in Callers)
            {
                foreach (var (route, target) in DataRoutes.SelectMany(r => Targets.Select(t => (r, t))).Concat(OtherRoutes.Select(r => (r, "-"))))
                {
                    cells++;
                    var answer = await SendAsync(family, caller, route, target);
                    var expected = Expected(family, caller, route, target);
                    if ((int)answer.Status != expected)
                    {
                        failures.Add($"{family} {route} ({target}) as {caller}: expected {expected}, got {answer}");
                    }

                    if (caller is not ("user_a" or "admin" or "function_key")
                        && (answer.Body.Contains(host.UserA.ToString(), StringComparison.OrdinalIgnoreCase)
                            || AccessHost.AMarkers.Any(m => answer.Body.Contains(m, StringComparison.OrdinalIgnoreCase))))
                    {
                        failures.Add($"{family} {route} ({target}) as {caller}: the answer holds user A's data: {answer}");
                    }
                }
            }
        }

        await File.AppendAllTextAsync(Path.Combine(host.OutputDirectory, "figures.txt"),
            $"Access matrix on the real host: {cells} cells, {cells - failures.Count} as expected{Environment.NewLine}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cells} cells differ:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    [SkippableFact]
    public async Task User_a_sees_their_own_markers_and_b_s_unfiltered_list_holds_only_b_s_and_org_reports()
    {
        host.RequireHost();

        var own = await SendAsync("signed_in", "user_a", "insights_summary", "a");
        var list = await SendAsync("signed_in", "user_b", "list_reports", "-");

        Assert.True(own.Status == HttpStatusCode.OK, own.ToString());
        Assert.Contains(AccessHost.AMarkers, m => own.Body.Contains(m, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains(host.Reports["b"].ToString(), list.Body);
        Assert.Contains(host.Reports["org"].ToString(), list.Body);
        Assert.DoesNotContain(host.Reports["a"].ToString(), list.Body);
    }

    [SkippableFact]
    public async Task A_signed_in_person_is_linked_to_their_user_by_email_and_told_what_they_may_do()
    {
        host.RequireHost();

        var me = await SendAsync("signed_in", "user_a", "me", "-");

        Assert.True(me.Status == HttpStatusCode.OK, me.ToString());
        Assert.Equal("user", me.Data.GetProperty("kind").GetString());
        Assert.Equal(host.UserA, me.Data.GetProperty("user_id").GetGuid());
        Assert.DoesNotContain("jobs", me.Data.GetProperty("may").GetProperty("write").EnumerateArray().Select(s => s.GetString()));
        var linked = await QaSeed.ScalarAsync<long>(host.Database.DataSource,
            "SELECT count(*) FROM user_identities WHERE object_id = 'oid-user-a' AND user_id = @id AND matched_by = 'email'", new { id = host.UserA });
        Assert.Equal(1, linked);
    }

    private static string? Principal(string caller) => caller switch
    {
        "unknown" => Header("oid-stranger", "stranger@example.org"),
        "user_a" => Header("oid-user-a", "user-a@example.org"),
        "user_b" => Header("oid-user-b", "user-b@example.org"),
        "admin" => Header("oid-admin", "ops@example.org", "Acms.Admin"),
        _ => null,
    };

    /// <summary>An X-MS-CLIENT-PRINCIPAL value as App Service authentication with Microsoft Entra ID writes it.</summary>
    public static string Header(string objectId, string email, params string[] roles)
    {
        var claims = new List<object>
        {
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
            new { typ = "preferred_username", val = email },
            new { typ = "name", val = email },
        };
        claims.AddRange(roles.Select(r => (object)new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    private async Task<Answer> SendAsync(string family, string caller, string route, string target)
    {
        var prefix = family == "key" ? "api/v2/" : "api/signed-in/v2/";
        var userId = target switch { "a" => host.UserA, "b" => host.UserB, _ => (Guid?)null };
        var (method, path, body) = route switch
        {
            "insights_summary" => (HttpMethod.Get, userId is null ? "insights/summary" : $"insights/summary?user_id={userId}", null),
            "generate_report" => (HttpMethod.Post, "reports/generate", userId is null ? """{"scope":"org"}""" : $$"""{"scope":"user","user_id":"{{userId}}"}"""),
            "list_reports" => (HttpMethod.Get, target switch { "-" => "reports", "org" => "reports?scope=org", _ => $"reports?user_id={userId}" }, null),
            "get_report" => (HttpMethod.Get, $"reports/{host.Reports[target]}", null),
            "org_knowledge" => (HttpMethod.Get, "insights/org-knowledge", null),
            "job_status" => (HttpMethod.Get, "jobs/status", null),
            "job_runs" => (HttpMethod.Get, "jobs/runs?limit=5", null),
            "job_run" => (HttpMethod.Get, $"jobs/runs/{host.LedgerRunId}", null),
            "run_job" => (HttpMethod.Post, "jobs/decay/run?dry_run=true", null),
            "pause_job" => (HttpMethod.Post, "jobs/cleanup/pause", """{"reason":"access matrix"}"""),
            "resume_job" => (HttpMethod.Post, "jobs/cleanup/resume", null),
            "list_users" => (HttpMethod.Get, "users", null),
            "me" => (HttpMethod.Get, "me", null),
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
        };

        using var request = new HttpRequestMessage(method, new Uri(prefix + path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (caller == "function_key")
        {
            request.Headers.Add("x-functions-key", host.FunctionKey);
        }

        if (Principal(caller) is { } principal)
        {
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        }

        using var response = await host.Anonymous.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
