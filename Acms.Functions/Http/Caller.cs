using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Acms.Functions.Http;

/// <summary>
/// Names who made a request, for the records that keep it (who paused a job). The one place that decides it.
/// Behind the Functions host's HTTP proxy the worker sees neither the key's name nor a principal, only the
/// <c>x-functions-key</c> header or <c>code</c> parameter the host already checked: the caller is named by a short
/// SHA-256 fingerprint of that key, which tells keys apart without ever storing one.
/// </summary>
public static class Caller
{
    public static string Of(HttpRequest request)
    {
        if (request.HttpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return $"user:{name}";
        }

        var key = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return string.IsNullOrEmpty(key)
            ? "http:anonymous"
            : $"function-key:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12]}";
    }
}
