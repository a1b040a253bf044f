using Acms.Domain.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Bench.Cases;

/// <summary>One read API's query, called repeatedly through the domain's own query class.</summary>
public sealed record ReadQuery(string Name, string Api, double? MaxP95Ms, Func<IServiceProvider, CancellationToken, Task> CallAsync);

/// <summary>The read APIs' queries. Add the insights summary and reports list here when their query classes exist.</summary>
public static class ReadQueries
{
    public static IReadOnlyList<ReadQuery> All { get; } =
    [
        new("jobs status", "GET /api/v2/jobs/status → JobRunQueries.StatusAsync", 10,
            (sp, ct) => sp.GetRequiredService<JobRunQueries>().StatusAsync(ct)),
        new("runs list (all jobs, 50)", "GET /api/v2/jobs/runs?limit=50 → JobRunQueries.ListRunsAsync", null,
            (sp, ct) => sp.GetRequiredService<JobRunQueries>().ListRunsAsync(null, 50, ct)),
        new("runs list (decay, 50)", "GET /api/v2/jobs/runs?job=decay&limit=50 → JobRunQueries.ListRunsAsync", null,
            (sp, ct) => sp.GetRequiredService<JobRunQueries>().ListRunsAsync("decay", 50, ct)),
    ];
}
