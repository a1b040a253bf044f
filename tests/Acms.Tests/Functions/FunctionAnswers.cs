using System.Text.Json;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Tests.Functions;

/// <summary>A function's answer as the worker gives it: what it returns, or the problem the middleware makes of what it throws.</summary>
internal static class FunctionAnswers
{
    public static async Task<IActionResult> AnswerAsync(this Task<IActionResult> call)
    {
        try
        {
            return await call;
        }
        catch (Exception ex)
        {
            return ProblemMapping.ToProblem(ex, "test-invocation");
        }
    }

    public static int Status(IActionResult result) => result switch
    {
        JsonResult json => json.StatusCode ?? 200,
        ContentResult content => content.StatusCode ?? 200,
        ObjectResult obj => obj.StatusCode ?? 200,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    /// <summary>The body as JSON, the way it goes on the wire.</summary>
    public static JsonElement Body(IActionResult result) => result switch
    {
        JsonResult json => JsonDocument.Parse(Acms.Domain.Common.Json.Serialize(json.Value)).RootElement,
        ContentResult content => JsonDocument.Parse(content.Content!).RootElement,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    public static ProblemDetails Problem(IActionResult result) => Assert.IsType<ProblemDetails>(Assert.IsType<ObjectResult>(result).Value);
}
