using System.Text.Json;
using Acms.Domain.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Acms.Functions.Http;

/// <summary>
/// Last line of defence for HTTP functions: malformed JSON becomes a 400 and anything unexpected a 500 with a problem
/// document and an id to find the logged exception — never a stack trace.
/// </summary>
internal sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { } http && !http.Response.HasStarted)
        {
            var bad = ex is JsonException or BadHttpRequestException or AcmsValidationException or NotFoundException || ex.InnerException is JsonException;
            var errorId = context.InvocationId;
            if (bad)
            {
                logger.LogWarning(ex, "Function {Function} rejected a malformed request {ErrorId}", context.FunctionDefinition.Name, errorId);
            }
            else
            {
                logger.LogError(ex, "Function {Function} failed {ErrorId}", context.FunctionDefinition.Name, errorId);
            }

            var result = ex switch
            {
                AcmsValidationException invalid => Problems.BadRequest($"'{invalid.Field}' {invalid.Detail}", invalid.Field),
                NotFoundException missing => Problems.NotFound(missing.Message),
                _ when bad => Problems.BadRequest("The request body is not valid JSON for this operation."),
                _ => Problems.Create(StatusCodes.Status500InternalServerError, "Internal error", $"The request failed; quote error id {errorId} to find it in the logs."),
            };
            http.Response.StatusCode = result.StatusCode!.Value;
            http.Response.ContentType = "application/problem+json";
            await http.Response.WriteAsJsonAsync(result.Value, context.CancellationToken);
        }
    }
}
