using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Jobs.Pausing;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Control;

public sealed class JobPauseFunctions(JobPauses pauses)
{
    /// <summary>POST /api/v2/jobs/{job}/pause, body optional <c>{"reason": "…"}</c>: timer runs are skipped until resumed; manual runs still run.</summary>
    [Function(nameof(PauseJob))]
    public async Task<IActionResult> PauseJob(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/{job}/pause")] HttpRequest request, string job, CancellationToken cancellationToken)
    {
        var body = request.ContentLength is null or 0 ? null : await JsonSerializer.DeserializeAsync<PauseRequest>(request.Body, Json.Options, cancellationToken);
        return ApiResponse.Ok(await pauses.PauseAsync(job, Caller.Of(request), body?.Reason, cancellationToken));
    }

    /// <summary>POST /api/v2/jobs/{job}/resume: the job's timer runs again.</summary>
    [Function(nameof(ResumeJob))]
    public async Task<IActionResult> ResumeJob(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/{job}/resume")] HttpRequest request, string job, CancellationToken cancellationToken) =>
        ApiResponse.Ok(await pauses.ResumeAsync(job, cancellationToken));

    private sealed record PauseRequest(string? Reason);
}
