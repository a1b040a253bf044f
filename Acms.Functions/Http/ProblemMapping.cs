using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Database;
using Acms.Domain.Jobs;
using Acms.Functions.Access;
using Acms.Functions.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Http;

/// <summary>
/// What each exception a function throws answers: a denied caller 401 (anonymous) or 403, a rejected value 400, a missing resource or route 404, a wrong method 405, a job already running
/// 409, a failed run 500 with its run id, a database out of reach past the retry budget 503, anything else 500 with an id to find the logged exception. Messages are the
/// service's own words: never SQL, exception text or a stack trace.
/// </summary>
internal static class ProblemMapping
{
    /// <summary>Whether the request, not the service, is at fault (or the answer is an expected state): logged below error.</summary>
    public static bool IsExpected(Exception ex) => ex is AcmsValidationException or NotFoundException or UnknownJobException or MethodNotAllowedException or JobAlreadyRunningException or AccessDeniedException
        or JsonException or BadHttpRequestException || ex.InnerException is JsonException;

    public static ObjectResult ToProblem(Exception ex, string errorId) => ex switch
    {
        AccessDeniedException denied => AccessControl.ToProblem(denied),
        AcmsValidationException invalid => Problems.BadRequest($"'{invalid.Field}' {invalid.Detail}", invalid.Field),
        NotFoundException or UnknownJobException => Problems.Create(StatusCodes.Status404NotFound, Problems.NotFound, "Not found", ex.Message),
        MethodNotAllowedException notAllowed => Problems.Create(StatusCodes.Status405MethodNotAllowed, Problems.MethodNotAllowed, "Method not allowed", ex.Message,
            new() { ["allow"] = notAllowed.Allowed }),
        JobAlreadyRunningException { Result: var run } => Problems.Create(StatusCodes.Status409Conflict, Problems.AlreadyRunning, "Job already running",
            run.RunningRunId is { } id ? $"Job {run.Job} is already running (run {id})." : $"Job {run.Job} is already running.",
            new() { ["job"] = run.Job, ["run_id"] = run.RunId, ["running_run_id"] = run.RunningRunId }),
        JobRunFailedException { Result: var run } => Problems.Create(StatusCodes.Status500InternalServerError, Problems.RunFailed, "Job run failed",
            $"Job {run.Job} run {run.RunId} failed; its ledger entry (GET /api/v2/jobs/runs/{run.RunId}) has the cause.",
            new() { ["job"] = run.Job, ["run_id"] = run.RunId, ["affected_count"] = run.AffectedCount }),
        // The serializer's own message names .NET types; the JSON path is what the caller needs.
        JsonException { Path: { Length: > 0 } path } => Problems.BadRequest($"The request body is not valid JSON for this operation (at {path}).", path.TrimStart('$', '.')),
        _ when IsExpected(ex) => Problems.BadRequest("The request body is not valid JSON for this operation."),
        _ when Transient.IsTransient(ex) => Problems.Create(StatusCodes.Status503ServiceUnavailable, Problems.DatabaseUnavailable, "Database unavailable",
            $"The database could not be reached within the retry budget (a restart or failover); try again shortly. Error id {errorId}.",
            new() { ["error_id"] = errorId }),
        _ => Problems.Create(StatusCodes.Status500InternalServerError, Problems.InternalError, "Internal error",
            $"The request failed; quote error id {errorId} to find it in the logs.", new() { ["error_id"] = errorId }),
    };
}
