using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Http;

/// <summary>RFC 9457 problem details for every error answer, each with a stable <c>code</c> callers can branch on.</summary>
public static class Problems
{
    public const string ValidationFailed = "validation_failed";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string AlreadyRunning = "already_running";
    public const string RunFailed = "run_failed";
    public const string InternalError = "internal_error";
    public const string DatabaseUnavailable = "database_unavailable";
    public const string Unauthenticated = "unauthenticated";
    public const string UnknownPrincipal = "unknown_principal";
    public const string Forbidden = "forbidden";

    public static ObjectResult Create(int status, string code, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
    }

    public static ObjectResult BadRequest(string detail, string? parameter = null) =>
        Create(StatusCodes.Status400BadRequest, ValidationFailed, "Bad request", detail, parameter is null ? null : new() { ["parameter"] = parameter });
}
