using Acms.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Acms.Bench.Cases;

/// <summary>
/// One benchmarked job. Adding a job to the benchmark is one class: the harness clones the template twice, runs
/// <see cref="RunJobAsync"/> on copy A and <see cref="RunFloorAsync"/> on copy B, and compares <see cref="FingerprintAsync"/> of both.
/// </summary>
public interface IBenchCase
{
    /// <summary>The job's name in the catalog (<c>decay</c>); a job the build does not have is reported as absent.</summary>
    string Job { get; }

    /// <summary>How the floor reaches the same end state, for the report; null when the job has no floor.</summary>
    string? Floor { get; }

    Target Target { get; }

    /// <summary>Settings layered over the defaults for this run (the job's real options unless a case says otherwise).</summary>
    IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Runs the real job through <see cref="JobRunner"/> (trigger cli).</summary>
    Task<JobRunResult> RunJobAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<JobRunner>().RunAsync(Job, JobTrigger.Cli, dryRun: false, ct);

    /// <summary>Jobs run (untimed, through the runner) on the copy before this one, e.g. topic extraction before insights.</summary>
    IReadOnlyList<string> Before => [];

    /// <summary>The rows the run counts for rows/s (default: its affected count).</summary>
    long Rows(JobRunResult run) => run.AffectedCount;

    /// <summary>The single set-based statement that reaches the same end state; returns the rows it changed.</summary>
    Task<long> RunFloorAsync(NpgsqlDataSource db, IServiceProvider services, CancellationToken ct) =>
        throw new NotSupportedException($"{Job} has no floor.");

    /// <summary>A digest of everything the job may change; equal digests mean equal end states.</summary>
    Task<string> FingerprintAsync(NpgsqlDataSource db, CancellationToken ct) => Task.FromResult("");
}
