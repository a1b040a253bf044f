using Acms.Domain.Common;
using Acms.Domain.Runs;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Status;

public sealed class JobStatusFunctions(JobRunQueries queries)
{
    /// <summary>GET /api/v2/jobs/status: every job's schedule (and in words), next run, enabled and paused state, running run with progress, last run.</summary>
    [Function(nameof(JobStatus))]
    public async Task<IActionResult> JobStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/status")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResponse.Ok(await queries.StatusAsync(cancellationToken));

    /// <summary>GET /api/v2/jobs/runs?job=&amp;status=&amp;trigger=&amp;limit=: the ledger, newest first.</summary>
    [Function(nameof(JobRuns))]
    public async Task<IActionResult> JobRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/runs")] HttpRequest request, CancellationToken cancellationToken)
    {
        var filter = new JobRunFilter(request.Query["job"], request.Query["status"], request.Query["trigger"],
            QueryParameters.WholeNumber(request.Query, "limit", 50, 1, JobRunQueries.MaxLimit));
        var runs = await queries.ListRunsAsync(filter, cancellationToken);
        return ApiResponse.Ok(new { runs, count = runs.Count });
    }

    /// <summary>GET /api/v2/jobs/runs/{id}: one run with its live progress and result.</summary>
    [Function(nameof(JobRun))]
    public async Task<IActionResult> JobRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/runs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var runId = QueryParameters.RouteGuid(id, "id", "a run id");
        return ApiResponse.Ok(await queries.FindRunAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString()));
    }
}
