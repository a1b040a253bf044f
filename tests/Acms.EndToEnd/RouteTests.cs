using System.Net;
using Acms.Domain.Jobs;
using Acms.EndToEnd.Infrastructure;

namespace Acms.EndToEnd;

/// <summary>Every documented route over real HTTP: 2xx with the function key in the one envelope, 401 without it.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class RouteTests(FunctionsHost host)
{
    private static readonly string[] EnvelopeMembers = ["data", "meta"];

    [SkippableFact]
    public async Task Every_route_answers_as_documented_with_the_key_and_401_without_it()
    {
        host.RequireHost();
        // Paused, no timer run holds a job's lock while the manual runs below go through (manual runs still run).
        var paused = new List<IAsyncDisposable>();
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            paused.Add(await E2e.PausedAsync(host, job.Name, "route test"));
        }

        try
        {
            var runId = "";
            foreach (var job in JobDefinitions.InScheduleOrder)
            {
                var run = await Check(HttpMethod.Post, $"api/v2/jobs/{job.Name}/run?dry_run=true");
                Assert.Equal((job.Name, true), (run.Data.GetProperty("job").GetString(), run.Data.GetProperty("dry_run").GetBoolean()));
                runId = run.Data.GetProperty("run_id").GetString()!;
            }

            var status = await Check(HttpMethod.Get, "api/v2/jobs/status");
            Assert.Equal(6, status.Data.GetProperty("jobs").GetArrayLength());
            Assert.All(status.Data.GetProperty("jobs").EnumerateArray(), j =>
            {
                Assert.Equal(FunctionsHost.TestSchedule, j.GetProperty("schedule").GetString());
                Assert.Equal("every 10 seconds", j.GetProperty("schedule_text").GetString());
                Assert.True(j.GetProperty("paused").GetBoolean());
                Assert.Equal("route test", j.GetProperty("pause").GetProperty("reason").GetString());
                Assert.StartsWith("function-key:", j.GetProperty("pause").GetProperty("by").GetString());
            });

            var runs = await Check(HttpMethod.Get, "api/v2/jobs/runs?job=decay&status=succeeded&trigger=http&limit=5");
            Assert.All(runs.Data.GetProperty("runs").EnumerateArray(), r => Assert.Equal(("decay", "succeeded", "http"),
                (r.GetProperty("job").GetString(), r.GetProperty("status").GetString(), r.GetProperty("trigger").GetString())));
            var one = await Check(HttpMethod.Get, $"api/v2/jobs/runs/{runId}");
            Assert.Equal(runId, one.Data.GetProperty("result").GetProperty("run_id").GetString());
            Assert.True(one.Data.TryGetProperty("progress", out _));

            var insights = await Check(HttpMethod.Get, "api/v2/insights/summary?period_days=30");
            Assert.True(insights.Json.TryGetProperty("meta", out _));
            var generated = await Check(HttpMethod.Post, "api/v2/reports/generate", """{"report_type":"weekly","scope":"org","format":"json"}""");
            var reportId = generated.Data.GetProperty("id").GetString();
            var reports = await Check(HttpMethod.Get, "api/v2/reports?scope=org&limit=5");
            Assert.Contains(reports.Data.GetProperty("reports").EnumerateArray(), r => r.GetProperty("id").GetString() == reportId);
            await Check(HttpMethod.Get, $"api/v2/reports/{reportId}");
            var markdown = await Check(HttpMethod.Get, $"api/v2/reports/{reportId}?format=markdown", envelope: false);
            Assert.Equal("text/markdown", markdown.MediaType);

            var pause = await Check(HttpMethod.Post, "api/v2/jobs/cleanup/pause", """{"reason":"route test, again"}""");
            Assert.Equal(("cleanup", true, "route test, again"), (pause.Data.GetProperty("job").GetString(), pause.Data.GetProperty("paused").GetBoolean(),
                pause.Data.GetProperty("pause").GetProperty("reason").GetString()));
        }
        finally
        {
            foreach (var resume in paused)
            {
                await resume.DisposeAsync(); // POST …/resume, checked for 200 in each
            }
        }

        var after = await host.Client.GetAnswerAsync("api/v2/jobs/status");
        Assert.All(after.Data.GetProperty("jobs").EnumerateArray(), j => Assert.False(j.GetProperty("paused").GetBoolean()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAnswerAsync("api/v2/jobs/decay/resume")).Status);
    }

    /// <summary>The route with the key: 200 in the envelope; without it (and with a wrong key): 401, before any function runs.</summary>
    private async Task<Answer> Check(HttpMethod method, string path, string? json = null, bool envelope = true)
    {
        var without = await host.Anonymous.SendAsync(method, path, Body(json));
        Assert.True(without.Status == HttpStatusCode.Unauthorized, $"{method} {path} without a key: {without}");
        using (var wrong = new HttpClient { BaseAddress = host.BaseAddress })
        {
            wrong.DefaultRequestHeaders.Add("x-functions-key", "not-the-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.SendAsync(method, path, Body(json))).Status);
        }

        var with = await host.Client.SendAsync(method, path, Body(json));
        Assert.True(with.Status == HttpStatusCode.OK, $"{method} {path}: {with}");
        if (envelope)
        {
            Assert.Equal("application/json", with.MediaType);
            Assert.True(with.Json.TryGetProperty("data", out _), $"{method} {path} is not in the envelope: {with}");
            Assert.All(with.Json.EnumerateObject(), p => Assert.Contains(p.Name, EnvelopeMembers));
        }

        return with;
    }

    private static StringContent? Body(string? json) => json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json");
}
