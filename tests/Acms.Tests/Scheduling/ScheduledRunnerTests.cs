using Acms.Domain.Jobs;
using Acms.Domain.Scheduling;
using Acms.Functions.Jobs;
using Acms.Functions.Jobs.Decay;
using Acms.Tests.Infrastructure;
using Acms.Tests.Jobs;
using Dapper;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Scheduling;

public sealed class ScheduledRunnerTests : DatabaseTest
{
    private sealed record LedgerRow(Guid Id, string Status, string Trigger, int Attempt, Guid? RetryOf, bool PastDue);

    private async Task<List<LedgerRow>> LedgerAsync(string job)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<LedgerRow>(
            "SELECT job_run_id AS Id, status, trigger, attempt, retry_of AS RetryOf, past_due AS PastDue FROM job_runs WHERE job_name = @job ORDER BY started_at, attempt",
            new { job })).AsList();
    }

    [Fact]
    public async Task A_failed_scheduled_run_is_retried_with_backoff_as_linked_ledger_rows()
    {
        await using var services = TestHost.Build(Db, TimeProvider.System,
            new Dictionary<string, string?> { ["Jobs:Failing:RetryDelay"] = "00:00:00.05" },
            (s, c) => s.AddJob<FailingJob, SleepOptions>(c, FailingJob.Definition));

        var last = await services.GetRequiredService<ScheduledRunner>().RunAsync("failing", pastDue: false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Failed, last.Status);
        Assert.Equal(3, last.Attempt);
        var rows = await LedgerAsync("failing");
        Assert.Equal([1, 2, 3], rows.Select(r => r.Attempt));
        Assert.All(rows, r => Assert.Equal(("failed", "timer"), (r.Status, r.Trigger)));
        Assert.Null(rows[0].RetryOf);
        Assert.Equal([rows[0].Id, rows[0].Id], rows.Skip(1).Select(r => r.RetryOf));
        Assert.Equal(rows[0].Id, last.RetryOf);
    }

    [Fact]
    public async Task Max_attempts_of_one_means_no_retry_and_a_success_is_never_retried()
    {
        await using var services = TestHost.Build(Db, TimeProvider.System,
            new Dictionary<string, string?> { ["Jobs:Failing:MaxAttempts"] = "1" },
            (s, c) => s.AddJob<FailingJob, SleepOptions>(c, FailingJob.Definition));
        var runner = services.GetRequiredService<ScheduledRunner>();

        Assert.Equal(JobRunStatus.Failed, (await runner.RunAsync("failing", pastDue: false, CancellationToken.None)).Status);
        Assert.Equal(JobRunStatus.Succeeded, (await runner.RunAsync("decay", pastDue: false, CancellationToken.None)).Status);

        Assert.Single(await LedgerAsync("failing"));
        Assert.Single(await LedgerAsync("decay"));
    }

    [Fact]
    public async Task A_past_due_timer_invocation_is_recorded_as_past_due()
    {
        await using var services = TestHost.Build(Db, TimeProvider.System, configure: (s, _) => s.AddSingleton<JobTriggers>());
        var functions = ActivatorUtilities.CreateInstance<DecayFunctions>(services);

        await functions.DecayTimer(new TimerInfo { IsPastDue = true }, CancellationToken.None);
        await functions.DecayTimer(new TimerInfo { IsPastDue = false }, CancellationToken.None);

        Assert.Equal([true, false], (await LedgerAsync("decay")).Select(r => r.PastDue));
    }
}
