using System.Diagnostics;
using System.Net;
using Acms.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>What the end-to-end tests do again and again: arrange rows, pause a job over HTTP, wait for the ledger.</summary>
public static class E2e
{
    /// <summary>Memories decay will pick up (idle nine days, real time: the host runs on the system clock).</summary>
    public static async Task<Guid> SeedDecayableMemoriesAsync(NpgsqlDataSource db, int count)
    {
        var user = await Seed.UserAsync(db);
        for (var i = 0; i < count; i++)
        {
            await Seed.MemoryAsync(db, user, DateTimeOffset.UtcNow.AddDays(-9), score: 0.8);
        }

        return user;
    }

    /// <summary>
    /// Pauses the job over HTTP and waits for a run the shared host's 10 s timer started just before the pause to end: it
    /// holds the lease until it ends (longer since runs rest between batches), and would turn the test's own manual runs
    /// away with 409. Resumes the job when disposed.
    /// </summary>
    public static async Task<IAsyncDisposable> PausedAsync(FunctionsHost host, string job, string reason = "end-to-end test")
    {
        var answer = await host.Client.PostAnswerAsync($"api/v2/jobs/{job}/pause", $$"""{"reason":"{{reason}}"}""");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        await WaitForAsync($"{job}'s timer run that started before the pause to end", TimeSpan.FromSeconds(90), async () =>
            !(await JobStatusAsync(host, job)).GetProperty("running").GetBoolean());
        return new Resume(host, job);
    }

    /// <summary>The job's entry in <c>GET api/v2/jobs/status</c>.</summary>
    public static async Task<System.Text.Json.JsonElement> JobStatusAsync(FunctionsHost host, string job) =>
        (await host.Client.GetAnswerAsync("api/v2/jobs/status")).Data.GetProperty("jobs").EnumerateArray()
            .Single(j => j.GetProperty("id").GetString() == job);

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, object? parameters = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource db, string sql, object? parameters = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(string what, TimeSpan timeout, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Timed out after {timeout} waiting for {what}.");
            await Task.Delay(100);
        }
    }

    private sealed class Resume(FunctionsHost host, string job) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            var answer = await host.Client.PostAnswerAsync($"api/v2/jobs/{job}/resume");
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        }
    }
}
