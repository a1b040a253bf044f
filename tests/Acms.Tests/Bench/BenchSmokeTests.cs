using Acms.Bench;

namespace Acms.Tests.Bench;

/// <summary>
/// The benchmark at CI size (20,000 memories): every job must succeed and end in exactly the state its one-statement
/// floor reaches. Speed is not asserted here: ratios, throughput and latencies mean something only at production size
/// (bench/README.md).
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task At_CI_size_every_job_ends_in_the_same_state_as_its_floor()
    {
        var output = Path.Combine(Path.GetTempPath(), $"acms-bench-ci-{Guid.NewGuid():N}");
        var options = BenchOptions.Parse(["--ci", "--out", output]);
        var log = new StringWriter();

        var exitCode = await BenchApp.RunAsync(options, log, CancellationToken.None);

        Assert.True(exitCode == 0, log.ToString());
        Assert.True(File.Exists(Path.Combine(output, "bench-20000.json")), log.ToString());
        Directory.Delete(output, recursive: true);
    }
}
