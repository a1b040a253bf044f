using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Http;

/// <summary>RFC 9457 problem details for every error answer.</summary>
public static class Problems
{
    public static ObjectResult BadRequest(string detail, string? parameter = null) =>
        Create(StatusCodes.Status400BadRequest, "Bad request", detail, parameter is null ? null : new() { ["parameter"] = parameter });

    public static ObjectResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static ObjectResult Create(int status, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
    }
}
