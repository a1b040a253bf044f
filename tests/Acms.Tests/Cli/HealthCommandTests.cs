using System.Text.Json;
using Acms.Tests.Infrastructure;
using Dapper;

namespace Acms.Tests.Cli;

public sealed class HealthCommandTests : DatabaseTest
{
    private Dictionary<string, string?> Env => new() { ["ConnectionStrings__Acms"] = Db.ConnectionString };

    [Fact]
    public async Task Health_exits_zero_when_healthy_and_one_with_the_reason_when_not()
    {
        var (exit, stdout, stderr) = await CliProcessTests.AcmsAsync(Env, "health", "--json");
        Assert.True(exit == 0, stdout + stderr);
        using (var report = JsonDocument.Parse(stdout))
        {
            Assert.Equal("healthy", report.RootElement.GetProperty("status").GetString());
            Assert.Equal(6, report.RootElement.GetProperty("jobs").GetArrayLength());
        }

        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM acms_schema_migrations WHERE version = (SELECT max(version) FROM acms_schema_migrations)");
        }

        (exit, stdout, _) = await CliProcessTests.AcmsAsync(Env, "health");
        Assert.Equal(1, exit);
        Assert.Contains("unhealthy", stdout);
        Assert.Contains("acms db migrate", stdout);
    }

    [Fact]
    public async Task Jobs_run_with_console_telemetry_prints_the_run_span_and_its_metrics()
    {
        var (exit, stdout, stderr) = await CliProcessTests.AcmsAsync(Env, "jobs", "run", "cleanup", "--telemetry", "console");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("job cleanup", stdout);
        Assert.Contains("acms.run_id", stdout);
        Assert.Contains("acms.jobs.runs", stdout);
    }
}
