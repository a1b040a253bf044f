using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acms.Tests.Jobs;

public sealed class JobRunnerTests : DatabaseTest
{
    private ServiceProvider Build(IDictionary<string, string?>? settings = null) =>
        TestHost.Build(Db, TimeProvider.System, settings, (services, configuration) =>
        {
            services.AddJob<SleepJob, SleepOptions>(configuration, SleepJob.Definition);
            services.AddJob<FailingJob, SleepOptions>(configuration, FailingJob.Definition);
            services.AddJob<ConstraintJob, SleepOptions>(configuration, ConstraintJob.Definition);
        });

    private async Task<List<(string Status, string Trigger, string? Error)>> LedgerAsync(string job)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, string, string?)>(
            "SELECT status, trigger, error_summary FROM job_runs WHERE job_name = @job ORDER BY started_at, job_run_id", new { job })).AsList();
    }

    [Fact]
    public async Task Every_run_leaves_one_ledger_row_with_its_result()
    {
        await using var services = Build();
        var result = await services.GetRequiredService<JobRunner>().RunAsync("decay", JobTrigger.Http, dryRun: false, CancellationToken.None);

        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, string Trigger, string Result, DateTime? CompletedAt)>(
            "SELECT status, trigger, result::text, completed_at FROM job_runs WHERE job_run_id = @RunId", new { result.RunId });
        Assert.Equal(("succeeded", "http"), (row.Status, row.Trigger));
        Assert.NotNull(row.CompletedAt);
        Assert.Contains("\"job\": \"decay\"", row.Result);
        Assert.Contains("\"decay_rate\": 0.05", row.Result);
    }

    [Fact]
    public async Task A_second_run_while_the_job_is_running_is_skipped_and_names_the_running_run()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Sleep:Seconds"] = "3" });
        var runner = services.GetRequiredService<JobRunner>();
        var first = runner.RunAsync("sleep", JobTrigger.Timer, dryRun: false, CancellationToken.None);
        var running = await WaitForRunningAsync("sleep");

        var second = await runner.RunAsync("sleep", JobTrigger.Http, dryRun: false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Skipped, second.Status);
        Assert.Equal(running, second.RunningRunId);
        Assert.Equal(JobRunStatus.Succeeded, (await first).Status);
        Assert.Equal(["skipped", "succeeded"], (await LedgerAsync("sleep")).Select(r => r.Status).Order());
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_runs_of_a_job_runs()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Sleep:Seconds"] = "1" });
        var runner = services.GetRequiredService<JobRunner>();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => runner.RunAsync("sleep", JobTrigger.Cli, false, CancellationToken.None)));

        Assert.Single(results, r => r.Status == JobRunStatus.Succeeded);
        Assert.Equal(5, results.Count(r => r.Status == JobRunStatus.Skipped));
    }

    [Fact]
    public async Task A_run_left_running_by_a_dead_process_is_marked_abandoned_by_the_next_run()
    {
        var dead = Guid.NewGuid();
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO job_runs (job_run_id, job_name, trigger, status, started_at) VALUES (@dead, 'decay', 'timer', 'running', now() - interval '1 day')",
                new { dead });
        }

        await using var services = Build();
        var next = await services.GetRequiredService<JobRunner>().RunAsync("decay", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, next.Status);
        await using var check = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal("abandoned", await check.ExecuteScalarAsync<string>("SELECT status FROM job_runs WHERE job_run_id = @dead", new { dead }));
    }

    [Fact]
    public async Task A_run_past_its_timeout_fails_with_the_reason_and_releases_the_job()
    {
        await using var services = Build(new Dictionary<string, string?>
        {
            ["Jobs:Sleep:Seconds"] = "30",
            ["Jobs:Sleep:Timeout"] = "00:00:00.500",
        });
        var runner = services.GetRequiredService<JobRunner>();

        var timedOut = await runner.RunAsync("sleep", JobTrigger.Timer, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Failed, timedOut.Status);
        Assert.StartsWith("timed out after", timedOut.Error);
        Assert.InRange(timedOut.ExecutionTimeMs, 400, 10_000);
        Assert.Equal("failed", (await LedgerAsync("sleep")).Single().Status);
    }

    [Fact]
    public async Task A_disabled_job_is_skipped_on_its_schedule_but_runs_when_asked_for()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Jobs:Decay:Enabled"] = "false" });
        var runner = services.GetRequiredService<JobRunner>();

        var timer = await runner.RunAsync("decay", JobTrigger.Timer, false, CancellationToken.None);
        var manual = await runner.RunAsync("decay", JobTrigger.Http, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Skipped, timer.Status);
        Assert.Contains("Jobs:Decay:Enabled is false", timer.Error);
        Assert.Equal(JobRunStatus.Succeeded, manual.Status);
    }

    // Finding 8: a failed run returned "{type}: {message}" — table and constraint names included — to HTTP callers and in error_summary.
    [Fact]
    public async Task A_job_that_throws_is_recorded_as_failed_with_a_code_and_its_run_id_but_never_the_exception_text()
    {
        await using var services = Build();
        var result = await services.GetRequiredService<JobRunner>().RunAsync("failing", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Failed, result.Status);
        Assert.Equal(7, result.AffectedCount);
        var row = (await LedgerAsync("failing")).Single();
        Assert.Equal("failed", row.Status);
        Assert.StartsWith("internal_error: ", row.Error);
        Assert.Contains(result.RunId.ToString(), row.Error);
        Assert.Equal(row.Error, result.Error);
        Assert.DoesNotContain("boom", row.Error);
        Assert.DoesNotContain("InvalidOperation", row.Error);
    }

    [Fact]
    public async Task A_database_error_is_reported_by_its_class_without_table_constraint_or_sql()
    {
        await using var services = Build();
        var result = await services.GetRequiredService<JobRunner>().RunAsync("constraint", JobTrigger.Http, false, CancellationToken.None);

        var error = (await LedgerAsync("constraint")).Single().Error!;
        Assert.Equal(JobRunStatus.Failed, result.Status);
        Assert.StartsWith("database_error: ", error);
        Assert.Contains("23505", error);
        Assert.Contains(result.RunId.ToString(), error);
        foreach (var internals in new[] { "users", "pkey", "INSERT", "duplicate key", "Npgsql", "Postgres" })
        {
            Assert.DoesNotContain(internals, error, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_unknown_job_is_refused_with_the_known_names()
    {
        await using var services = Build();
        var error = await Assert.ThrowsAsync<UnknownJobException>(() =>
            services.GetRequiredService<JobRunner>().RunAsync("defrag", JobTrigger.Cli, false, CancellationToken.None));
        Assert.Contains("decay", error.Message);
    }

    [Theory]
    [InlineData("Jobs:Decay:Rate", "1.5")]
    [InlineData("Jobs:Decay:BatchSize", "0")]
    [InlineData("DecaySchedule", "0 3 * * *")]
    [InlineData("Jobs:Decay:Timeout", "-00:01:00")]
    public async Task Invalid_job_settings_are_rejected_when_the_options_are_read(string key, string value)
    {
        await using var services = Build(new Dictionary<string, string?> { [key] = value });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<Acms.Domain.Jobs.Decay.DecayOptions>>().CurrentValue);
    }

    private async Task<Guid> WaitForRunningAsync(string job)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        for (var i = 0; i < 200; i++)
        {
            var id = await connection.ExecuteScalarAsync<Guid?>("SELECT job_run_id FROM job_runs WHERE job_name = @job AND status = 'running'", new { job });
            if (id is { } running)
            {
                return running;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{job} never started");
    }
}
