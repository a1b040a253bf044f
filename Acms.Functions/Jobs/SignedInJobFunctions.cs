using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs;

/// <summary>
/// The sign-in family's job-run route. One function serves every job (the key family keeps one per job, next to its
/// timer); it forwards to the same <see cref="JobTriggers"/> handler, which demands the caller's access before the job
/// name is even looked up (an unknown job is then a 404).
/// </summary>
public sealed class SignedInJobFunctions(JobTriggers triggers)
{
    /// <summary>POST /api/signed-in/v2/jobs/{job}/run[?dry_run=true]: as POST /api/v2/jobs/{job}/run, for a signed-in admin.</summary>
    [Function(nameof(SignedInRunJob))]
    public Task<IActionResult> SignedInRunJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signed-in/v2/jobs/{job}/run")] HttpRequest request, string job, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(job, request, cancellationToken);
}
