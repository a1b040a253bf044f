namespace Acms.Tests.Cli;

/// <summary>The CLI's embedded default: no connection string, a PostgreSQL of its own.</summary>
public sealed class CliEmbeddedTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"acms-cli-embedded-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [Fact]
    public async Task Without_a_connection_string_the_demo_runs_every_job_on_the_embedded_postgres_and_stops_it()
    {
        var (exit, stdout, stderr) = await CliProcessTests.AcmsAsync(
            new Dictionary<string, string?> { ["Embedded__DataDirectory"] = _dataDirectory },
            "demo", "--users", "5", "--memories-per-user", "40");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Using the embedded PostgreSQL", stderr);
        Assert.Contains("decay", stdout);
        Assert.Contains("succeeded", stdout);
        Assert.Contains("Decay run again the same day: 0 affected", stdout);
        foreach (var job in new[] { "topic_extraction", "insight_generation", "dedup", "cleanup", "weekly_report" })
        {
            Assert.Contains(job, stdout);
        }

        Assert.Equal(6, stdout.Split("│ succeeded").Length - 1); // and exit 0: the demo fails when any job does
        Assert.Contains("# Weekly intelligence report (organisation)", stdout.Replace("\\(", "(", StringComparison.Ordinal).Replace("\\)", ")", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")), "the CLI must stop the server it started");
    }
}
