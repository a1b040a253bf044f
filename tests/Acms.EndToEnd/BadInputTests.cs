using System.Net;
using Acms.EndToEnd.Infrastructure;

namespace Acms.EndToEnd;

/// <summary>Bad input over real HTTP: a 4xx problem document with a stable code, never a 500, SQL or a stack trace.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class BadInputTests(FunctionsHost host)
{
    [SkippableTheory]
    [InlineData("POST", "api/v2/jobs/decay/run?dry_run=yes", null, 400, "validation_failed", "dry_run")]
    [InlineData("GET", "api/v2/jobs/runs?limit=0", null, 400, "validation_failed", "limit")]
    [InlineData("GET", "api/v2/jobs/runs?limit=ten", null, 400, "validation_failed", "limit")]
    [InlineData("GET", "api/v2/jobs/runs?job=defrag", null, 400, "validation_failed", "job")]
    [InlineData("GET", "api/v2/jobs/runs?status=done", null, 400, "validation_failed", "status")]
    [InlineData("GET", "api/v2/jobs/runs?trigger=cron", null, 400, "validation_failed", "trigger")]
    [InlineData("GET", "api/v2/jobs/runs/not-a-uuid", null, 400, "validation_failed", "id")]
    [InlineData("GET", "api/v2/jobs/runs/00000000-0000-0000-0000-000000000001", null, 404, "not_found", null)]
    [InlineData("POST", "api/v2/jobs/defrag/pause", null, 404, "not_found", null)]
    [InlineData("POST", "api/v2/jobs/decay/pause", "{\"reason\":", 400, "validation_failed", null)]
    [InlineData("GET", "api/v2/insights/summary?period_days=0", null, 400, "validation_failed", "period_days")]
    [InlineData("GET", "api/v2/insights/summary?user_id=00000000-0000-0000-0000-000000000001", null, 404, "not_found", null)]
    [InlineData("POST", "api/v2/reports/generate", "{not json", 400, "validation_failed", null)]
    [InlineData("POST", "api/v2/reports/generate", "{\"report_type\":\"weekly\",\"scope\":\"org\",\"period_start\":\"9999-12-31\"}", 400, "validation_failed", "period_start")]
    [InlineData("POST", "api/v2/reports/generate", "{\"report_type\":\"yearly\"}", 400, "validation_failed", "report_type")]
    [InlineData("GET", "api/v2/reports?limit=1000", null, 400, "validation_failed", "limit")]
    [InlineData("GET", "api/v2/reports/report-1", null, 400, "validation_failed", "id")]
    public async Task Bad_input_is_a_problem_document_naming_the_parameter(string method, string path, string? body, int status, string code, string? parameter)
    {
        host.RequireHost();

        var answer = await host.Client.SendAsync(new HttpMethod(method), path,
            body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.True((int)answer.Status == status, answer.ToString());
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal(status, answer.Json.GetProperty("status").GetInt32());
        Assert.Equal(code, answer.Json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("detail").GetString()));
        if (parameter is not null)
        {
            Assert.Equal(parameter, answer.Json.GetProperty("parameter").GetString());
        }

        foreach (var leak in new[] { "Exception", "   at ", "SELECT", "Npgsql", "System." })
        {
            Assert.DoesNotContain(leak, answer.Body, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task A_route_outside_the_route_prefix_of_host_json_is_not_found()
    {
        host.RequireHost();

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAnswerAsync("v2/jobs/status")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAnswerAsync("api/v2/jobs/status")).Status);
    }
}
