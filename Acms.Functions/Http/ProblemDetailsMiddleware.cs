using Acms.Domain.Database;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Acms.Functions.Http;

/// <summary>
/// The one HTTP error path: functions throw, and this answers with the problem details <see cref="ProblemMapping"/>
/// gives the exception (a stable <c>code</c> in each), logging the unexpected ones with the error id it quotes.
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
            if (ProblemMapping.IsExpected(ex))
            {
                logger.LogInformation("Function {Function} answered a problem: {Problem}", context.FunctionDefinition.Name, ex.Message);
            }
            else if (Transient.IsTransient(ex))
            {
                // Named, not logged whole: a PostgreSQL message can quote row values.
                logger.LogError("Function {Function} could not reach the database {ErrorId}: {Fault}", context.FunctionDefinition.Name, context.InvocationId, Transient.Describe(ex));
            }
            else
            {
                logger.LogError(ex, "Function {Function} failed {ErrorId}", context.FunctionDefinition.Name, context.InvocationId);
            }

            var result = ProblemMapping.ToProblem(ex, context.InvocationId);
            http.Response.StatusCode = result.StatusCode!.Value;
            if (ex is MethodNotAllowedException notAllowed)
            {
                http.Response.Headers.Allow = string.Join(", ", notAllowed.Allowed);
            }
            else if (result.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = "30";
            }

            // The content type goes with the write: WriteAsJsonAsync would otherwise reset it to application/json.
            await http.Response.WriteAsJsonAsync(result.Value, options: null, contentType: "application/problem+json", context.CancellationToken);
        }
    }
}
