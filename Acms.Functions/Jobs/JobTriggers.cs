using Acms.Domain.Jobs;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Acms.Functions.Jobs;

/// <summary>What every job's timer and HTTP functions do: hand the run to the <see cref="JobRunner"/> and map its result.</summary>
public sealed class JobTriggers(JobRunner runner, ILogger<JobTriggers> logger)
{
    /// <summary>Runs the job for its timer. A failed run fails the invocation too, so the host (and its alerts) see it.</summary>
    public async Task OnTimerAsync(string job, TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            logger.LogWarning("Timer for job {Job} is past due (last {Last}); running now", job, timer.ScheduleStatus?.Last);
        }

        var result = await runner.RunAsync(job, JobTrigger.Timer, dryRun: false, cancellationToken);
        if (result.Status == JobRunStatus.Failed)
        {
            throw new JobRunFailedException(result);
        }
    }

    /// <summary>
    /// POST /api/v2/jobs/{job}/run[?dry_run=true]: 200 with the run result, 409 when the job is already running,
    /// 400 for a malformed query, 500 with the run id when the run itself failed (the middleware maps the last three).
    /// </summary>
    public async Task<IActionResult> OnHttpRunAsync(string job, HttpRequest request, CancellationToken cancellationToken)
    {
        var dryRun = QueryParameters.Flag(request.Query, "dry_run", false);
        var result = await runner.RunAsync(job, JobTrigger.Http, dryRun, cancellationToken);
        return result.Status switch
        {
            JobRunStatus.Skipped => throw new JobAlreadyRunningException(result),
            JobRunStatus.Failed => throw new JobRunFailedException(result),
            _ => ApiResponse.Ok(result),
        };
    }
}
