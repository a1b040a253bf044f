using System.Net;
using System.Text;
using Acms.EndToEnd.Infrastructure;
using Acms.Tests.Infrastructure;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace Acms.EndToEnd.Faults;

/// <summary>
/// Fault scenario 5 over real HTTP on the real Functions host: ≥ 500 hostile requests across every route — malformed
/// JSON, wrong types, a 10 MB body, deep nesting, invalid UTF-8, unknown fields, negative/huge/NaN numbers, far dates,
/// path traversal, SQL-like and script strings, repeated parameters, wrong methods. No 5xx, every 4xx a problem
/// document, the host still answers, and no table changed (every table but the run ledger, fingerprinted before and after).
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class HostileRequestTests(FunctionsHost host, ITestOutputHelper output)
{
    private const int RequestLineLimit = 8 * 1024;

    private static readonly string[] Jobs = ["decay", "dedup", "cleanup", "topic_extraction", "insight_generation", "weekly_report"];

    private static readonly string[] Values =
    [
        "", " ", "-1", "0", "-0", "1.5", "99999999999999999999", "-9223372036854775809", "NaN", "Infinity", "-Infinity", "1e309",
        "true", "null", "[]", "{}", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "' OR 1=1 --",
        "1; DROP TABLE memory_items;--", "\" OR \"\"=\"", "<script>alert(1)</script>", "%00", "%ZZ", "%C3%28", "%FF%FE",
        "😀", "9999-12-31", "0001-01-01", "-infinity", "00000000-0000-0000-0000-000000000000", "not-a-uuid", new string('a', 5000),
    ];

    // Every body is invalid in at least one way, so no hostile request may legitimately change a table.
    private static readonly string[] Bodies =
    [
        "{", "}", "[", "{\"report_type\":", "{\"report_type\":\"weekly\",}", "[]", "null", "\"weekly\"", "123", "true",
        "{\"report_type\":123}", "{\"report_type\":[\"weekly\"]}", "{\"report_type\":{\"a\":1}}", "{\"report_type\":null,\"scope\":null}",
        "{\"report_type\":\"yearly\",\"scope\":\"org\",\"unknown\":1}", "{\"report_type\":\"weekly\",\"scope\":\"planet\"}",
        "{\"report_type\":\"weekly\",\"scope\":\"user\"}", "{\"report_type\":\"weekly\",\"scope\":\"user\",\"user_id\":\"' OR 1=1 --\"}",
        "{\"report_type\":\"weekly\",\"scope\":\"org\",\"format\":\"<script>\"}", "{\"report_type\":\"custom\",\"scope\":\"org\"}",
        "{\"report_type\":\"custom\",\"scope\":\"org\",\"period_start\":\"0001-01-01\",\"period_end\":\"9999-12-31\"}",
        "{\"report_type\":\"custom\",\"scope\":\"org\",\"period_start\":\"2026-01-02\",\"period_end\":\"2026-01-01\"}",
        "{\"report_type\":\"custom\",\"scope\":\"org\",\"period_start\":\"NaN\",\"period_end\":\"Infinity\"}",
        "{\"report_type\":\"custom\",\"scope\":\"org\",\"period_start\":-1,\"period_end\":1e309}",
        "{\"report_type\":\"weekly\",\"scope\":\"user\",\"user_id\":\"00000000-0000-0000-0000-000000000000\",\"user_id\":\"x\"}",
        "{\"reason\":" + new string('[', 2) + "}", "{\"reason\":\"" + new string('r', 600) + "\"}", "{\"reason\":12}",
        new string('[', 10_000) + new string(']', 10_000),
        string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000),
    ];

    [SkippableFact]
    public async Task Five_hundred_hostile_requests_get_no_5xx_only_problem_documents_and_change_no_table()
    {
        host.RequireHost();
        var paused = new List<IAsyncDisposable>();
        foreach (var job in Jobs)
        {
            paused.Add(await E2e.PausedAsync(host, job, "hostile requests"));
        }

        try
        {
            var before = await FingerprintAsync(host.Database.DataSource);
            var requests = Requests().ToList();
            var answers = new List<(string What, int Status, string? MediaType, int PathLength)>();
            foreach (var chunk in requests.Chunk(8))
            {
                answers.AddRange(await Task.WhenAll(chunk.Select(async r =>
                {
                    using var message = r.Build();
                    using var response = await host.Client.SendAsync(message);
                    return (r.What, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, r.Path.Length);
                })));
            }

            var status = await host.Client.GetAnswerAsync("api/v2/jobs/status");
            var after = await FingerprintAsync(host.Database.DataSource);

            var fiveHundreds = answers.Where(a => a.Status >= 500).ToList();
            // The host's server answers a request line longer than its limit (8 KB, as Azure's front end does) with 414
            // before any route or app code runs; that answer is the platform's, and only for such lines.
            var platformTooLong = answers.Where(a => a.Status == (int)HttpStatusCode.RequestUriTooLong && a.PathLength > RequestLineLimit).ToList();
            var bareFourHundreds = answers.Except(platformTooLong).Where(a => a.Status is >= 400 and < 500 && a.MediaType != "application/problem+json").ToList();
            var twoHundreds = answers.Count(a => a.Status < 300);
            output.WriteLine($"hostile requests: {answers.Count}; 2xx {twoHundreds}; 4xx {answers.Count(a => a.Status is >= 400 and < 500)}; 5xx {fiveHundreds.Count}; " +
                             $"4xx without problem+json {bareFourHundreds.Count} (+{platformTooLong.Count} platform 414 for request lines over 8 KB); host up {status.Status == HttpStatusCode.OK}; tables unchanged {before == after}");
            foreach (var a in fiveHundreds.Concat(bareFourHundreds).Take(20))
            {
                output.WriteLine($"  {a.Status} {a.MediaType}: {a.What}");
            }

            Assert.True(answers.Count >= 500, $"{answers.Count} requests");
            Assert.Empty(fiveHundreds);
            Assert.Empty(bareFourHundreds);
            Assert.Equal(HttpStatusCode.OK, status.Status);
            Assert.Equal(before, after);
        }
        finally
        {
            foreach (var p in paused)
            {
                await p.DisposeAsync();
            }
        }
    }

    private sealed record Hostile(string What, HttpMethod Method, string Path, Func<HttpContent?> Content)
    {
        public HttpRequestMessage Build() => new(Method, new Uri(Path, UriKind.Relative)) { Content = Content() };
    }

    private static IEnumerable<Hostile> Requests()
    {
        static HttpContent Json(string body) => new StringContent(body, Encoding.UTF8, "application/json");
        static string Q(string v) => Uri.EscapeDataString(v);
        foreach (var v in Values)
        {
            yield return Get($"api/v2/jobs/runs?limit={Q(v)}");
            yield return Get($"api/v2/jobs/runs?job={Q(v)}");
            yield return Get($"api/v2/jobs/runs?status={Q(v)}&trigger={Q(v)}");
            yield return Get($"api/v2/jobs/runs/{Q(v)}");
            yield return Get($"api/v2/insights/summary?period_days={Q(v)}");
            yield return Get($"api/v2/insights/summary?user_id={Q(v)}");
            yield return Get($"api/v2/reports?limit={Q(v)}&scope={Q(v)}");
            yield return Get($"api/v2/reports?user_id={Q(v)}");
            yield return Get($"api/v2/reports/{Q(v)}");
            yield return Get($"api/v2/reports/{Q(v)}?format={Q(v)}");
            yield return Post($"api/v2/jobs/decay/run?dry_run={Q(v)}", null);
            yield return Post($"api/v2/jobs/{Q(v)}/run", null);
            yield return Post($"api/v2/jobs/{Q(v)}/pause", null);
            yield return Post($"api/v2/jobs/{Q(v)}/resume", null);
        }

        foreach (var body in Bodies)
        {
            yield return new Hostile($"POST reports/generate {Describe(body)}", HttpMethod.Post, "api/v2/reports/generate", () => Json(body));
            yield return new Hostile($"POST pause {Describe(body)}", HttpMethod.Post, "api/v2/jobs/defrag/pause", () => Json(body));
        }

        // A 10 MB body, invalid UTF-8, the wrong content type.
        var huge = "{\"report_type\":\"" + new string('w', 10 * 1024 * 1024) + "\",\"scope\":\"org\"}";
        yield return new Hostile("POST reports/generate 10 MB", HttpMethod.Post, "api/v2/reports/generate", () => Json(huge));
        byte[][] invalidUtf8 = [[0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D], [0xFF, 0xFE, 0xFD], [0x7B, 0x22, 0x72, 0x65, 0x70, 0x6F, 0x72, 0x74, 0x5F, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]];
        foreach (var bytes in invalidUtf8)
        {
            yield return new Hostile("POST reports/generate invalid UTF-8", HttpMethod.Post, "api/v2/reports/generate", () =>
                new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } });
        }

        yield return new Hostile("POST reports/generate as text/plain", HttpMethod.Post, "api/v2/reports/generate", () => new StringContent("report_type=weekly", Encoding.UTF8, "text/plain"));

        // Repeated parameters.
        yield return Get("api/v2/jobs/runs?limit=1&limit=2");
        yield return Get("api/v2/jobs/runs?job=decay&job=dedup");
        yield return Get("api/v2/insights/summary?period_days=7&period_days=-7");
        yield return Post("api/v2/jobs/decay/run?dry_run=true&dry_run=false", null);
        yield return Post("api/v2/jobs/decay/run?dry_run=true&dry_run=yes", null);

        // Wrong methods on every route.
        string[] routes = ["api/v2/jobs/status", "api/v2/jobs/runs", "api/v2/jobs/runs/00000000-0000-0000-0000-000000000001", "api/v2/insights/summary",
            "api/v2/reports", "api/v2/reports/generate", "api/v2/reports/00000000-0000-0000-0000-000000000001", .. Jobs.Select(j => $"api/v2/jobs/{j}/run"),
            .. Jobs.Select(j => $"api/v2/jobs/{j}/pause"), .. Jobs.Select(j => $"api/v2/jobs/{j}/resume")];
        foreach (var route in routes)
        {
            foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            {
                yield return new Hostile($"{method} {route}", method, route, () => null);
            }

            yield return new Hostile($"{(route.EndsWith("/run", StringComparison.Ordinal) || route.EndsWith("pause", StringComparison.Ordinal) || route.EndsWith("resume", StringComparison.Ordinal) || route.EndsWith("generate", StringComparison.Ordinal) ? "GET" : "POST")} {route}",
                route.EndsWith("/run", StringComparison.Ordinal) || route.EndsWith("pause", StringComparison.Ordinal) || route.EndsWith("resume", StringComparison.Ordinal) || route.EndsWith("generate", StringComparison.Ordinal) ? HttpMethod.Get : HttpMethod.Post,
                route, () => null);
        }

        static Hostile Get(string path) => new($"GET {path[..Math.Min(path.Length, 120)]}", HttpMethod.Get, path, () => null);
        static Hostile Post(string path, string? body) => new($"POST {path[..Math.Min(path.Length, 120)]}", HttpMethod.Post, path, () => body is null ? null : Json(body));
        static string Describe(string body) => body.Length > 80 ? body[..80] + $"… ({body.Length} chars)" : body;
    }

    /// <summary>Every table but the run ledger (paused timer ticks are recorded there as skipped runs).</summary>
    private static async Task<string> FingerprintAsync(NpgsqlDataSource db)
    {
        await using var c = await db.OpenConnectionAsync();
        var tables = (await c.QueryAsync<string>("""
            SELECT tablename FROM pg_tables WHERE schemaname = 'public'
              AND tablename NOT IN ('job_runs', 'job_run_batches', 'job_leases')
            ORDER BY tablename
            """)).ToList();
        var parts = new List<string>();
        foreach (var table in tables)
        {
            parts.Add($"{table}={await c.ExecuteScalarAsync<string>($"SELECT count(*)::text || ':' || coalesce(sum(hashtext(t::text)::bigint), 0)::text FROM \"{table}\" t")}");
        }

        return string.Join(' ', parts);
    }
}
