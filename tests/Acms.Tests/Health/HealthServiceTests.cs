using Acms.Domain.Health;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Health;

public sealed class HealthServiceTests : DatabaseTest
{
    private DateTime _installed;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The service counts as installed when its first migration was applied (the template's, cloned for this test).
        _installed = DateTime.SpecifyKind(await QaSeed.ScalarAsync<DateTime>(Db.DataSource, "SELECT min(applied_at) FROM acms_schema_migrations"), DateTimeKind.Utc);
    }

    private async Task<HealthReport> CheckAsync(DateTime now, IDictionary<string, string?>? settings = null)
    {
        await using var services = TestHost.Build(Db, new FakeTimeProvider(new DateTimeOffset(now)), settings);
        return await services.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);
    }

    private async Task SucceededAsync(string job, DateTime startedAt, bool dryRun = false, string status = "succeeded")
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, dry_run, started_at, completed_at)
            VALUES (gen_random_uuid(), @job, 'timer', @status, @dryRun, @startedAt, @startedAt + interval '1 minute')
            """, new { job, startedAt, dryRun, status });
    }

    private async Task AllSucceededAsync(DateTime at)
    {
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            await SucceededAsync(job.Name, at);
        }
    }

    [Fact]
    public async Task Just_installed_every_check_passes_and_jobs_that_never_ran_are_pending()
    {
        var report = await CheckAsync(_installed.AddMinutes(30));

        Assert.Equal("healthy", report.Status);
        Assert.Equal("healthy", report.Database.Status);
        Assert.Equal(("healthy", 0), (report.Migrations!.Status, report.Migrations.Pending.Count));
        Assert.Equal(6, report.Jobs.Count);
        Assert.All(report.Jobs, j => Assert.Equal(("healthy", "pending"), (j.Status, j.State)));
        Assert.Equal(("healthy", 0.0), (report.TopicExtraction!.Status, report.TopicExtraction.LagSeconds));
    }

    [Fact]
    public async Task A_job_whose_last_success_is_older_than_two_periods_is_unhealthy_with_the_reason()
    {
        var now = _installed.AddDays(10);
        await AllSucceededAsync(now.AddHours(-1));
        await SucceededAsync("decay", now.AddDays(-5)); // the last real success of decay: five daily runs ago
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM job_runs WHERE job_name = 'decay' AND started_at > @cut", new { cut = now.AddDays(-4) });
        }

        await SucceededAsync("decay", now.AddHours(-2), dryRun: true); // a dry run is not a success
        await SucceededAsync("decay", now.AddHours(-3), status: "failed");

        var report = await CheckAsync(now);

        Assert.Equal("unhealthy", report.Status);
        var decay = Assert.Single(report.Jobs, j => j.Job == "decay");
        Assert.Equal(("unhealthy", "late"), (decay.Status, decay.State));
        Assert.Equal(now.AddDays(-5), decay.LastSuccessAt);
        Assert.Contains("two scheduled runs", decay.Reason);
        Assert.Contains("DecaySchedule", decay.Reason);
        Assert.All(report.Jobs.Where(j => j.Job != "decay"), j => Assert.Equal(("healthy", "ok"), (j.Status, j.State)));
    }

    [Fact]
    public async Task One_missed_period_is_still_healthy_and_the_second_makes_it_unhealthy()
    {
        var now = _installed.AddDays(30);
        await AllSucceededAsync(now.AddHours(-1));
        var lastDecay = new DateTime(now.Year, now.Month, now.Day, 3, 0, 0, DateTimeKind.Utc).AddDays(-3);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE job_runs SET started_at = @lastDecay WHERE job_name = 'decay'", new { lastDecay });
        }

        // Runs due at +1 day and +2 days 03:00; each may take the timeout with its retries (3 × 30 min + 5 + 15 min).
        var grace = TimeSpan.FromMinutes(110);
        var secondMissed = lastDecay.AddDays(2) + grace;

        Assert.Equal("healthy", Assert.Single((await CheckAsync(secondMissed.AddMinutes(-1))).Jobs, j => j.Job == "decay").Status);
        var late = Assert.Single((await CheckAsync(secondMissed.AddMinutes(1))).Jobs, j => j.Job == "decay");
        Assert.Equal("unhealthy", late.Status);
        Assert.Equal(secondMissed, late.UnhealthyAfter);
    }

    [Fact]
    public async Task A_job_that_never_succeeded_becomes_unhealthy_two_periods_after_installation()
    {
        var now = _installed.AddDays(3);
        await AllSucceededAsync(now.AddHours(-1));
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM job_runs WHERE job_name IN ('insight_generation', 'weekly_report')");
        }

        var report = await CheckAsync(now);

        var insights = Assert.Single(report.Jobs, j => j.Job == "insight_generation");
        Assert.Equal(("unhealthy", "late"), (insights.Status, insights.State));
        Assert.Contains("Never succeeded since the service was installed", insights.Reason);
        // Weekly: two Mondays have not passed in three days, so it is still within its grace.
        Assert.Equal(("healthy", "pending"), Assert.Single(report.Jobs, j => j.Job == "weekly_report") is var w ? (w.Status, w.State) : default);
    }

    [Fact]
    public async Task A_disabled_job_is_reported_but_not_judged()
    {
        var now = _installed.AddDays(30);
        await AllSucceededAsync(now.AddHours(-1));
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM job_runs WHERE job_name = 'dedup'");
        }

        var report = await CheckAsync(now, new Dictionary<string, string?> { ["Jobs:Dedup:Enabled"] = "false" });

        Assert.Equal("healthy", report.Status);
        var dedup = Assert.Single(report.Jobs, j => j.Job == "dedup");
        Assert.Equal(("healthy", "disabled", false), (dedup.Status, dedup.State, dedup.Enabled));
    }

    [Fact]
    public async Task A_paused_job_is_reported_paused_and_not_judged_late()
    {
        var now = _installed.AddDays(30);
        await AllSucceededAsync(now.AddHours(-1));
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE job_runs SET started_at = started_at - interval '20 days' WHERE job_name = 'decay'");
        }

        await using (var services = TestHost.Build(Db, new FakeTimeProvider(new DateTimeOffset(now))))
        {
            await services.GetRequiredService<Acms.Domain.Jobs.Pausing.JobPauses>().PauseAsync("decay", "cli:ops", "restoring a backup", CancellationToken.None);
        }

        var report = await CheckAsync(now);

        Assert.Equal("healthy", report.Status);
        var decay = Assert.Single(report.Jobs, j => j.Job == "decay");
        Assert.Equal(("healthy", "paused", true), (decay.Status, decay.State, decay.Paused));
        Assert.Contains("restoring a backup", decay.Reason);
    }

    [Fact]
    public async Task Topic_extraction_lag_is_the_age_of_the_oldest_unexamined_qa_and_unhealthy_past_two_periods()
    {
        var now = _installed.AddDays(2);
        await AllSucceededAsync(now.AddMinutes(-30));
        var user = await Seed.UserAsync(Db.DataSource);
        await QaSeed.QueryAsync(Db.DataSource, user, now.AddHours(-1), "How do I page through the audit log?");

        var fresh = await CheckAsync(now);
        Assert.Equal(("healthy", 3600.0), (fresh.TopicExtraction!.Status, fresh.TopicExtraction.LagSeconds));

        await QaSeed.QueryAsync(Db.DataSource, user, now.AddHours(-6), "Which regions support zone-redundant storage?");
        var behind = await CheckAsync(now);
        Assert.Equal(("unhealthy", 6 * 3600.0), (behind.TopicExtraction!.Status, behind.TopicExtraction.LagSeconds));
        Assert.Equal("unhealthy", behind.Status);

        // A real extraction run examines both rows: no lag left.
        await using (var services = TestHost.Build(Db, new FakeTimeProvider(new DateTimeOffset(now))))
        {
            var run = await services.GetRequiredService<JobRunner>().RunAsync("topic_extraction", JobTrigger.Cli, dryRun: false, CancellationToken.None);
            Assert.Equal(JobRunStatus.Succeeded, run.Status);
        }

        var caughtUp = await CheckAsync(now.AddMinutes(1));
        Assert.Equal(("healthy", 0.0, "healthy"), (caughtUp.TopicExtraction!.Status, caughtUp.TopicExtraction.LagSeconds, caughtUp.Status));
    }

    [Fact]
    public async Task A_migration_of_this_build_that_is_not_applied_is_unhealthy_and_named()
    {
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM acms_schema_migrations WHERE version = 80");
        }

        var report = await CheckAsync(_installed.AddMinutes(30));

        Assert.Equal("unhealthy", report.Status);
        Assert.Equal([80], report.Migrations!.Pending);
        Assert.Contains("0080", report.Migrations.Reason);
        Assert.Contains("acms db migrate", report.Migrations.Reason);
    }

    [Fact]
    public async Task An_unreachable_database_is_unhealthy_without_internals()
    {
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Acms"] = "Host=127.0.0.1;Port=1;Database=acms;Username=acms;Password=x;Timeout=2",
        });

        var report = await services.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);

        Assert.Equal(("unhealthy", "unhealthy"), (report.Status, report.Database.Status));
        Assert.DoesNotContain("127.0.0.1", report.Database.Reason);
        Assert.Empty(report.Jobs);
    }
}
