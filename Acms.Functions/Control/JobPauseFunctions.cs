using System.Text.Json;
using Acms.Domain.Access;
using Acms.Domain.Common;
using Acms.Domain.Jobs.Pausing;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Control;

/// <summary>Pausing and resuming jobs, in both route families; administrators and automation only.</summary>
public sealed class JobPauseFunctions(JobPauses pauses)
{
    /// <summary>POST /api/v2/jobs/{job}/pause, body optional <c>{"reason": "…"}</c>: timer runs are skipped until resumed; manual runs still run.</summary>
    [Function(nameof(PauseJob))]
    public Task<IActionResult> PauseJob(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/{job}/pause")] HttpRequest request, string job, CancellationToken cancellationToken) =>
        PauseAsync(request, job, cancellationToken);

    [Function(nameof(SignedInPauseJob))]
    public Task<IActionResult> SignedInPauseJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signed-in/v2/jobs/{job}/pause")] HttpRequest request, string job, CancellationToken cancellationToken) =>
        PauseAsync(request, job, cancellationToken);

    /// <summary>POST /api/v2/jobs/{job}/resume: the job's timer runs again.</summary>
    [Function(nameof(ResumeJob))]
    public Task<IActionResult> ResumeJob(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/{job}/resume")] HttpRequest request, string job, CancellationToken cancellationToken) =>
        ResumeAsync(request, job, cancellationToken);

    [Function(nameof(SignedInResumeJob))]
    public Task<IActionResult> SignedInResumeJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signed-in/v2/jobs/{job}/resume")] HttpRequest request, string job, CancellationToken cancellationToken) =>
        ResumeAsync(request, job, cancellationToken);

    private async Task<IActionResult> PauseAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        var caller = await AccessControl.DemandAsync(request, AccessScope.Jobs, AccessAction.Write, cancellationToken);
        var body = request.ContentLength is null or 0 ? null : await JsonSerializer.DeserializeAsync<PauseRequest>(request.Body, Json.Options, cancellationToken);
        return ApiResponse.Ok(await pauses.PauseAsync(job, caller.Name, body?.Reason, cancellationToken));
    }

    private async Task<IActionResult> ResumeAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        await AccessControl.DemandAsync(request, AccessScope.Jobs, AccessAction.Write, cancellationToken);
        return ApiResponse.Ok(await pauses.ResumeAsync(job, cancellationToken));
    }

    private sealed record PauseRequest(string? Reason);
}
