using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Domain.Jobs;
using Acms.Domain.Runs;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Status;

/// <summary>Job status and the run ledger in both route families; administrators and automation only.</summary>
public sealed class JobStatusFunctions(JobRunQueries queries, JobCatalog catalog)
{
    /// <summary>GET /api/v2/jobs/status: every job's schedule, next run, enabled flag and last run.</summary>
    [Function(nameof(JobStatus))]
    public Task<IActionResult> JobStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/status")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusAsync(request, cancellationToken);

    [Function(nameof(SignedInJobStatus))]
    public Task<IActionResult> SignedInJobStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/jobs/status")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusAsync(request, cancellationToken);

    /// <summary>GET /api/v2/jobs/runs?job=&amp;limit=: the ledger, newest first.</summary>
    [Function(nameof(JobRuns))]
    public Task<IActionResult> JobRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/runs")] HttpRequest request, CancellationToken cancellationToken) =>
        RunsAsync(request, cancellationToken);

    [Function(nameof(SignedInJobRuns))]
    public Task<IActionResult> SignedInJobRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/jobs/runs")] HttpRequest request, CancellationToken cancellationToken) =>
        RunsAsync(request, cancellationToken);

    /// <summary>GET /api/v2/jobs/runs/{id}: one run.</summary>
    [Function(nameof(JobRun))]
    public Task<IActionResult> JobRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v2/jobs/runs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, id, cancellationToken);

    [Function(nameof(SignedInJobRun))]
    public Task<IActionResult> SignedInJobRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signed-in/v2/jobs/runs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, id, cancellationToken);

    private async Task<IActionResult> StatusAsync(HttpRequest request, CancellationToken cancellationToken) =>
        (await AccessControl.CheckAsync(request, AccessScope.Jobs, AccessAction.Read, cancellationToken)).Denied
        ?? new JsonResult(await queries.StatusAsync(cancellationToken), Json.Options);

    private async Task<IActionResult> RunsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if ((await AccessControl.CheckAsync(request, AccessScope.Jobs, AccessAction.Read, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        string? job = request.Query["job"];
        if (!string.IsNullOrEmpty(job) && !catalog.TryGet(job, out _))
        {
            return Problems.BadRequest($"Unknown job '{job}'. Known jobs: {string.Join(", ", catalog.Names)}.", "job");
        }

        if (!QueryParameters.TryGetInt(request.Query, "limit", 50, 1, JobRunQueries.MaxLimit, out var limit, out var problem))
        {
            return problem!;
        }

        var runs = await queries.ListRunsAsync(string.IsNullOrEmpty(job) ? null : catalog.Names.First(n => n.Equals(job, StringComparison.OrdinalIgnoreCase)), limit, cancellationToken);
        return new JsonResult(new { data = new { runs, count = runs.Count } }, Json.Options);
    }

    private async Task<IActionResult> RunAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if ((await AccessControl.CheckAsync(request, AccessScope.Jobs, AccessAction.Read, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        if (!Guid.TryParse(id, out var runId))
        {
            return Problems.BadRequest($"'{id}' is not a run id (a UUID).", "id");
        }

        return await queries.FindRunAsync(runId, cancellationToken) is { } run
            ? new JsonResult(new { data = run }, Json.Options)
            : Problems.NotFound($"No run {runId}.");
    }
}
