using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Domain.Runs;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Status;

/// <summary>Job status and the run ledger in both route families; administrators and automation only.</summary>
public sealed class JobStatusFunctions(JobRunQueries queries)
{
    /// <summary>GET /api/v2/jobs/status: every job's schedule (and in words), next run, enabled and paused state, running run with progress, last run.</summary>
    [Function(nameof(JobStatus))]
    public Task<IActionResult> JobStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/status")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusAsync(request, cancellationToken);

    [Function(nameof(SignedInJobStatus))]
    public Task<IActionResult> SignedInJobStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/jobs/status")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusAsync(request, cancellationToken);

    /// <summary>GET /api/v2/jobs/runs?job=&amp;status=&amp;trigger=&amp;limit=: the ledger, newest first.</summary>
    [Function(nameof(JobRuns))]
    public Task<IActionResult> JobRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/runs")] HttpRequest request, CancellationToken cancellationToken) =>
        RunsAsync(request, cancellationToken);

    [Function(nameof(SignedInJobRuns))]
    public Task<IActionResult> SignedInJobRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/jobs/runs")] HttpRequest request, CancellationToken cancellationToken) =>
        RunsAsync(request, cancellationToken);

    /// <summary>GET /api/v2/jobs/runs/{id}: one run with its live progress and result.</summary>
    [Function(nameof(JobRun))]
    public Task<IActionResult> JobRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/runs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, id, cancellationToken);

    [Function(nameof(SignedInJobRun))]
    public Task<IActionResult> SignedInJobRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/jobs/runs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, id, cancellationToken);

    private async Task<IActionResult> StatusAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await AccessControl.DemandAsync(request, AccessScope.Jobs, AccessAction.Read, cancellationToken);
        return ApiResponse.Ok(await queries.StatusAsync(cancellationToken));
    }

    private async Task<IActionResult> RunsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await AccessControl.DemandAsync(request, AccessScope.Jobs, AccessAction.Read, cancellationToken);
        var filter = new JobRunFilter(request.Query["job"], request.Query["status"], request.Query["trigger"],
            QueryParameters.WholeNumber(request.Query, "limit", 50, 1, JobRunQueries.MaxLimit));
        var runs = await queries.ListRunsAsync(filter, cancellationToken);
        return ApiResponse.Ok(new { runs, count = runs.Count });
    }

    private async Task<IActionResult> RunAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        await AccessControl.DemandAsync(request, AccessScope.Jobs, AccessAction.Read, cancellationToken);
        var runId = QueryParameters.RouteGuid(id, "id", "a run id");
        return ApiResponse.Ok(await queries.FindRunAsync(runId, cancellationToken) ?? throw new NotFoundException("run", runId.ToString()));
    }
}
