using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Runs;
using Acms.Functions.Access;
using Acms.Functions.Jobs;
using Acms.Functions.Jobs.Decay;
using Acms.Functions.Status;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Functions;

/// <summary>The function classes called directly, over the real domain and database.</summary>
public sealed class JobFunctionsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private readonly FakeTimeProvider _time = new(TestHost.Epoch);

    public async Task InitializeAsync()
    {
        _db = await PostgresServer.CreateDatabaseAsync();
        _services = TestHost.Build(_db, _time, configure: (s, _) => s.AddSingleton<JobTriggers>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private T Create<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    private static HttpRequest Request(string query = "") => AutomationRequests.Get(query);

    private static System.Text.Json.JsonElement Data(IActionResult result)
    {
        Assert.Equal(200, FunctionAnswers.Status(result));
        var body = FunctionAnswers.Body(result);
        Assert.Equal(["data"], body.EnumerateObject().Select(p => p.Name)); // the one envelope
        return body.GetProperty("data");
    }

    [Fact]
    public async Task Posting_a_decay_run_answers_200_with_the_run_result_in_the_seed_shape()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await Seed.MemoryAsync(_db.DataSource, user, TestHost.Epoch.AddDays(-9), score: 0.5);

        var result = Data(await Create<DecayFunctions>().DecayRun(Request(), CancellationToken.None).AnswerAsync());

        Assert.Equal("http", result.GetProperty("trigger").GetString());
        Assert.Equal(1, result.GetProperty("affected_count").GetInt64());
        var json = result.GetRawText();
        Assert.Contains("\"job\":\"decay\"", json);
        Assert.Contains("\"affected_count\":1", json);
        Assert.Contains("\"status\":\"succeeded\"", json);
        Assert.Contains("\"trigger\":\"http\"", json);
        Assert.Contains("\"decay_rate\":0.05", json);
        Assert.Contains("\"execution_time_ms\":", json);
    }

    [Fact]
    public async Task A_dry_run_over_http_changes_nothing()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        var memory = await Seed.MemoryAsync(_db.DataSource, user, TestHost.Epoch.AddDays(-9), score: 0.5);

        var result = Data(await Create<DecayFunctions>().DecayRun(Request("?dry_run=true"), CancellationToken.None).AnswerAsync());

        Assert.True(result.GetProperty("dry_run").GetBoolean());
        Assert.Equal(1, result.GetProperty("affected_count").GetInt64());
        Assert.Equal(0.5, (await Seed.ScoresAsync(_db.DataSource, memory)).Crs);
    }

    public static TheoryData<string, Type> RunFunctions()
    {
        var data = new TheoryData<string, Type>();
        foreach (var type in typeof(JobTriggers).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith("Acms.Functions.Jobs.", StringComparison.Ordinal) == true && t.Name.EndsWith("Functions", StringComparison.Ordinal)))
        {
            data.Add(type.GetField("Job", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!.ToString()!, type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RunFunctions))]
    public async Task Each_job_http_function_runs_its_own_job_and_its_timer_runs_it_as_a_timer_run(string job, Type functions)
    {
        var instance = ActivatorUtilities.CreateInstance(_services, functions);
        var run = functions.GetMethods().Single(m => m.Name.EndsWith("Run", StringComparison.Ordinal));
        var timer = functions.GetMethods().Single(m => m.Name.EndsWith("Timer", StringComparison.Ordinal));

        var result = Data(await ((Task<IActionResult>)run.Invoke(instance, [Request("?dry_run=true"), CancellationToken.None])!).AnswerAsync());
        await (Task)timer.Invoke(instance, [new TimerInfo(), CancellationToken.None])!;

        Assert.Equal((job, "http", true), (result.GetProperty("job").GetString(), result.GetProperty("trigger").GetString(), result.GetProperty("dry_run").GetBoolean()));
        var runs = await _services.GetRequiredService<JobRunQueries>().ListRunsAsync(job, 10, CancellationToken.None);
        Assert.Equal(["http", "timer"], runs.Select(r => r.Trigger).Order());
    }

    [Theory]
    [InlineData("?dry_run=yes")]
    [InlineData("?dry_run=1")]
    [InlineData("?dry_run=true&dry_run=false")]
    public async Task A_malformed_dry_run_flag_is_a_400_problem(string query)
    {
        var answer = await Create<DecayFunctions>().DecayRun(Request(query), CancellationToken.None).AnswerAsync();

        Assert.Equal(400, FunctionAnswers.Status(answer));
        Assert.Contains("dry_run", FunctionAnswers.Problem(answer).Detail);
        Assert.Equal("validation_failed", FunctionAnswers.Problem(answer).Extensions["code"]);
    }

    [Fact]
    public async Task Posting_a_run_while_the_job_runs_elsewhere_is_a_409_naming_the_running_run()
    {
        var running = Guid.NewGuid();
        await using var holder = await _db.DataSource.OpenConnectionAsync();
        await holder.ExecuteAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at) VALUES (@running, 'decay', 'timer', 'running', now());
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, heartbeat_at) VALUES ('decay', @running, 1, now());
            """, new { running });

        var answer = await Create<DecayFunctions>().DecayRun(Request(), CancellationToken.None).AnswerAsync();

        Assert.Equal(409, FunctionAnswers.Status(answer));
        Assert.Equal(running, FunctionAnswers.Problem(answer).Extensions["running_run_id"]);
        Assert.Equal("already_running", FunctionAnswers.Problem(answer).Extensions["code"]);
    }

    [Fact]
    public async Task The_timer_function_runs_the_job_as_a_timer_run()
    {
        await Create<DecayFunctions>().DecayTimer(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        var runs = await _services.GetRequiredService<JobRunQueries>().ListRunsAsync("decay", 10, CancellationToken.None);
        Assert.Equal(("timer", "succeeded"), (runs.Single().Trigger, runs.Single().Status));
    }

    [Fact]
    public async Task Job_status_lists_every_job_with_schedule_next_run_and_last_run()
    {
        await Create<DecayFunctions>().DecayRun(Request(), CancellationToken.None);

        var report = Data(await Create<JobStatusFunctions>().JobStatus(Request(), CancellationToken.None).AnswerAsync());

        var decay = Assert.Single(report.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetString() == "decay");
        Assert.Equal("0 0 3 * * *", decay.GetProperty("schedule").GetString());
        Assert.Equal("daily at 03:00 UTC", decay.GetProperty("schedule_text").GetString());
        Assert.Equal(TestHost.Epoch.UtcDateTime.Date.AddDays(1).AddHours(3), decay.GetProperty("next_run").GetDateTime());
        Assert.True(decay.GetProperty("enabled").GetBoolean());
        Assert.False(decay.GetProperty("paused").GetBoolean());
        Assert.False(decay.GetProperty("running").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, decay.GetProperty("running_run").ValueKind);
        Assert.Equal("succeeded", decay.GetProperty("last_run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Job_runs_lists_the_ledger_newest_first_within_the_limit()
    {
        var functions = Create<DecayFunctions>();
        for (var i = 0; i < 3; i++)
        {
            await functions.DecayRun(Request(), CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var data = Data(await Create<JobStatusFunctions>().JobRuns(Request("?job=decay&limit=2"), CancellationToken.None).AnswerAsync());

        var runs = data.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.True(runs[0].GetProperty("started_at").GetDateTime() > runs[1].GetProperty("started_at").GetDateTime());
        Assert.Equal(2, data.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?job=defrag", "job")]
    [InlineData("?status=done", "status")]
    [InlineData("?trigger=cron", "trigger")]
    public async Task Job_runs_rejects_bad_filters_with_a_400_problem(string query, string parameter)
    {
        var answer = await Create<JobStatusFunctions>().JobRuns(Request(query), CancellationToken.None).AnswerAsync();

        Assert.Equal(400, FunctionAnswers.Status(answer));
        Assert.Equal(parameter, FunctionAnswers.Problem(answer).Extensions["parameter"]);
    }

    [Fact]
    public async Task Job_runs_filter_by_status_and_trigger()
    {
        await Create<DecayFunctions>().DecayRun(Request(), CancellationToken.None);
        await Create<DecayFunctions>().DecayTimer(new TimerInfo(), CancellationToken.None);

        var timer = Data(await Create<JobStatusFunctions>().JobRuns(Request("?trigger=timer&status=succeeded"), CancellationToken.None).AnswerAsync());
        var failed = Data(await Create<JobStatusFunctions>().JobRuns(Request("?status=FAILED"), CancellationToken.None).AnswerAsync());

        Assert.Equal(["timer"], timer.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("trigger").GetString()));
        Assert.Equal(0, failed.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task One_run_is_found_by_id_and_an_unknown_or_malformed_id_is_a_404_or_400()
    {
        var user = await Seed.UserAsync(_db.DataSource);
        await Seed.MemoryAsync(_db.DataSource, user, TestHost.Epoch.AddDays(-9), score: 0.5);
        var runId = Data(await Create<DecayFunctions>().DecayRun(Request(), CancellationToken.None).AnswerAsync()).GetProperty("run_id").GetString()!;
        var functions = Create<JobStatusFunctions>();

        var run = Data(await functions.JobRun(Request(), runId, CancellationToken.None).AnswerAsync());
        Assert.Equal(0.05, run.GetProperty("result").GetProperty("decay_rate").GetDouble());
        Assert.Equal((1, 1), (run.GetProperty("progress").GetProperty("rows").GetInt64(), run.GetProperty("progress").GetProperty("batches").GetInt64()));
        var missing = await functions.JobRun(Request(), Guid.NewGuid().ToString(), CancellationToken.None).AnswerAsync();
        Assert.Equal((404, "not_found"), (FunctionAnswers.Status(missing), FunctionAnswers.Problem(missing).Extensions["code"]));
        Assert.Equal(400, FunctionAnswers.Status(await functions.JobRun(Request(), "not-a-uuid", CancellationToken.None).AnswerAsync()));
    }
}
