using System.Diagnostics;
using Acms.Domain.Jobs;
using Acms.Domain.Telemetry;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Acms.Tests.Telemetry;

/// <summary>One real decay run on real PostgreSQL, seen through an in-memory OpenTelemetry exporter.</summary>
public sealed class JobTelemetryTests : DatabaseTest
{
    [Fact]
    public async Task A_run_exports_its_span_its_batch_spans_its_sql_spans_and_its_metrics()
    {
        var exportedSpans = new LockedCollection<Activity>();
        var exportedMetrics = new LockedCollection<MetricSnapshot>();
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?> { ["Jobs:Decay:BatchSize"] = "2" }, configure: (s, _) =>
            s.AddOpenTelemetry()
                .AddAcmsInstrumentation()
                .WithTracing(t => t.AddInMemoryExporter(exportedSpans))
                .WithMetrics(m => m.AddInMemoryExporter(exportedMetrics)));
        var tracer = services.GetRequiredService<TracerProvider>();
        var meter = services.GetRequiredService<MeterProvider>();

        var user = await Seed.UserAsync(Db.DataSource);
        for (var i = 0; i < 5; i++)
        {
            await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-20), score: 0.9);
        }

        await QaSeed.QueryAsync(Db.DataSource, user, TestHost.Epoch.AddHours(-3), "How do I rotate the storage keys?");

        var result = await services.GetRequiredService<JobRunner>().RunAsync("decay", JobTrigger.Cli, dryRun: false, CancellationToken.None);
        tracer.ForceFlush();
        meter.ForceFlush();
        var spans = exportedSpans.Snapshot();
        var metrics = exportedMetrics.Snapshot();

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(5, result.AffectedCount);

        // The run span: job, trigger, run id, dry run, status, affected.
        var run = Assert.Single(spans, a => a.Source.Name == JobTelemetry.Name && Equals(a.GetTagItem("acms.run_id"), result.RunId.ToString()));
        Assert.Equal("job decay", run.DisplayName);
        Assert.Equal("decay", run.GetTagItem("acms.job"));
        Assert.Equal("cli", run.GetTagItem("acms.trigger"));
        Assert.Equal(false, run.GetTagItem("acms.dry_run"));
        Assert.Equal("succeeded", run.GetTagItem("acms.status"));
        Assert.Equal(5L, run.GetTagItem("acms.affected"));

        // Its batch spans: 5 rows in batches of 2 → 2 + 2 + 1, each a child of the run, inside its time.
        var batches = spans.Where(a => a.ParentSpanId == run.SpanId && a.DisplayName == "batch decay").OrderBy(a => a.GetTagItem("acms.batch")).ToList();
        Assert.Equal([2L, 2L, 1L], batches.Select(b => (long)b.GetTagItem("acms.batch.rows")!));
        Assert.All(batches, b =>
        {
            Assert.Equal(run.TraceId, b.TraceId);
            Assert.True(b.StartTimeUtc >= run.StartTimeUtc && b.StartTimeUtc + b.Duration <= run.StartTimeUtc + run.Duration + TimeSpan.FromMilliseconds(1));
            Assert.True(b.GetTagItem("acms.batch.duration_ms") is double ms && ms >= 0);
        });

        // Npgsql's own spans for the run's SQL, in the run's trace.
        var sql = spans.Where(a => a.Source.Name == "Npgsql" && a.TraceId == run.TraceId).ToList();
        Assert.True(sql.Count >= 3, $"{sql.Count} SQL spans");
        Assert.Contains(sql, a => a.Tags.Any(t => t.Value?.Contains("UPDATE memory_items", StringComparison.Ordinal) == true));

        // Metric points of the run.
        MetricSnapshot Metric(string name) => metrics.Last(m => m.Name == name);

        var runs = Metric("acms.jobs.runs").MetricPoints.Where(p => Has(p, "acms.job", "decay") && Has(p, "acms.status", "succeeded")).ToList();
        Assert.True(runs.Sum(p => p.GetSumLong()) >= 1);
        Assert.True(Metric("acms.jobs.run.duration").MetricPoints.Where(p => Has(p, "acms.job", "decay")).Sum(p => p.GetHistogramCount()) >= 1);
        Assert.True(Metric("acms.jobs.rows_affected").MetricPoints.Where(p => Has(p, "acms.job", "decay")).Sum(p => p.GetSumLong()) >= 5);
        Assert.True(Metric("acms.jobs.batch.duration").MetricPoints.Where(p => Has(p, "acms.job", "decay")).Sum(p => p.GetHistogramCount()) >= 3);
        Assert.True(Metric("acms.jobs.lease.wait").MetricPoints.Where(p => Has(p, "acms.job", "decay") && Has(p, "acms.lease.acquired", true)).Sum(p => p.GetHistogramCount()) >= 1);

        // The lag gauge reads this database: one Q&A, never extracted, three hours old at the fake clock.
        var lag = Assert.Single(Metric("acms.jobs.topic_extraction.lag").MetricPoints);
        Assert.Equal(3 * 3600, lag.GetGaugeLastValueDouble(), precision: 0);
    }

    [Fact]
    public async Task A_run_that_finds_the_lease_held_counts_as_a_skip()
    {
        var metrics = new LockedCollection<MetricSnapshot>();
        await using var services = TestHost.Build(Db, configure: (s, _) =>
            s.AddOpenTelemetry().AddAcmsInstrumentation().WithMetrics(m => m.AddInMemoryExporter(metrics)));
        var meter = services.GetRequiredService<MeterProvider>();
        // Another live run holds cleanup's lease (its heartbeat is fresh).
        await QaSeed.ScalarAsync<int>(Db.DataSource, """
            INSERT INTO job_leases (job_name, holder_run_id, fencing_token, acquired_at, heartbeat_at, holder_host)
            VALUES ('cleanup', gen_random_uuid(), 1, now(), now(), 'elsewhere') RETURNING 1
            """);

        var result = await services.GetRequiredService<JobRunner>().RunAsync("cleanup", JobTrigger.Http, dryRun: false, CancellationToken.None);
        meter.ForceFlush();

        Assert.Equal(JobRunStatus.Skipped, result.Status);
        var skips = metrics.Snapshot().Last(m => m.Name == "acms.jobs.skips").MetricPoints
            .Where(p => Has(p, "acms.job", "cleanup") && Has(p, "acms.skip_reason", "already_running"));
        Assert.True(skips.Sum(p => p.GetSumLong()) >= 1);
    }

    private static bool Has(MetricPoint point, string key, object value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
