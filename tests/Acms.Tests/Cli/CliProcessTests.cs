using System.Diagnostics;
using System.Text.Json;
using Acms.Tests.Infrastructure;
using Dapper;

namespace Acms.Tests.Cli;

/// <summary>The real <c>acms</c> executable, run as a user would run it.</summary>
public sealed class CliProcessTests : DatabaseTest
{
    internal static async Task<(int Exit, string Stdout, string Stderr)> AcmsAsync(IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryFiles.Root, "Acms.Cli", "bin", RepositoryFiles.Configuration, "net10.0", "acms.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ConnectionStrings__Acms");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private Dictionary<string, string?> Env => new() { ["ConnectionStrings__Acms"] = Db.ConnectionString };

    [Fact]
    public async Task Jobs_run_with_json_prints_only_the_result_json_and_exits_zero()
    {
        var (exit, stdout, stderr) = await AcmsAsync(Env, "jobs", "run", "decay", "--json");

        Assert.True(exit == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal("decay", result.RootElement.GetProperty("job").GetString());
        Assert.Equal("cli", result.RootElement.GetProperty("trigger").GetString());
        Assert.Equal("succeeded", result.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Jobs_run_exits_two_when_the_job_is_already_running()
    {
        await using var holder = await Db.DataSource.OpenConnectionAsync();
        await holder.ExecuteAsync("INSERT INTO job_leases (job_name, holder_run_id, fencing_token, heartbeat_at) VALUES ('decay', gen_random_uuid(), 1, now())");

        var (exit, stdout, _) = await AcmsAsync(Env, "jobs", "run", "decay", "--json");

        Assert.Equal(2, exit);
        Assert.Equal("skipped", JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Jobs_run_of_an_unknown_job_is_a_usage_error_naming_the_known_jobs()
    {
        var (exit, _, stderr) = await AcmsAsync(Env, "jobs", "run", "defrag");

        Assert.Equal(64, exit);
        Assert.Contains("Known jobs: ", stderr);
    }

    [Theory]
    [InlineData("insights", "summary", "--days", "0")]
    [InlineData("reports", "list", "--scope", "galaxy")]
    [InlineData("reports", "generate", "--type", "yearly")]
    // Finding 7: far dates overflowed (exit 1 with a stack trace) instead of being usage errors.
    [InlineData("reports", "generate", "--type", "weekly", "--start", "9999-12-31")]
    [InlineData("reports", "generate", "--type", "custom", "--start", "0001-01-01", "--end", "0001-01-05")]
    [InlineData("reports", "generate", "--type", "monthly", "--start", "2026-02-30")]
    [InlineData("insights", "summary", "--days", "abc")]
    [InlineData("insights", "summary", "--days", "99999999999")]
    [InlineData("reports", "list", "--limit", "1000")]
    [InlineData("reports", "show", "not-a-report-id")]
    [InlineData("insights", "summary", "--user", "42")]
    public async Task Intelligence_commands_reject_bad_values_as_usage_errors(params string[] args)
    {
        var (exit, _, stderr) = await AcmsAsync(Env, args);

        Assert.True(exit == 64, $"exit {exit}: {stderr}");
        var lines = stderr.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.True(lines.Count == 1, stderr);
        Assert.StartsWith("Invalid ", lines[0]);
    }

    [Fact]
    public async Task Reports_generate_prints_the_org_report_in_markdown()
    {
        var (exit, stdout, stderr) = await AcmsAsync(Env, "reports", "generate", "--scope", "org", "--format", "markdown");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("# Weekly intelligence report", stdout);
    }

    [Fact]
    public async Task Db_migrate_reports_an_up_to_date_database()
    {
        var (exit, stdout, stderr) = await AcmsAsync(Env, "db", "migrate");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Up to date", stdout);
    }
}
