using Acms.Domain.Access;
using Acms.Domain.Jobs;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs;

/// <summary>
/// The sign-in family's job routes. One function serves every job (the key family keeps one per job, next to its
/// timer); it forwards to the same <see cref="JobTriggers"/> handler, which checks the caller.
/// </summary>
public sealed class SignedInJobFunctions(JobTriggers triggers, JobCatalog catalog)
{
    /// <summary>POST /api/signed-in/v2/jobs/{job}/run[?dry_run=true]: as POST /api/v2/jobs/{job}/run, for a signed-in admin.</summary>
    [Function(nameof(SignedInRunJob))]
    public async Task<IActionResult> SignedInRunJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signed-in/v2/jobs/{job}/run")] HttpRequest request, string job, CancellationToken cancellationToken)
    {
        // The caller is checked before the job name, so the route tells a non-admin nothing.
        if ((await AccessControl.CheckAsync(request, AccessScope.Jobs, AccessAction.Write, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        return catalog.TryGet(job, out var registration)
            ? await triggers.OnHttpRunAsync(registration.Definition.Name, request, cancellationToken)
            : Problems.NotFound($"Unknown job '{job}'. Known jobs: {string.Join(", ", catalog.Names)}.");
    }
}
