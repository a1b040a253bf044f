using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Acms.Functions.Dashboard;

/// <summary>
/// Sends a dashboard file with its security headers: the CSP allows only this origin's scripts, styles and calls (no
/// inline code, no eval, no CDN), and no referrer leaves the page, whose first URL carries the key. A matching
/// <c>If-None-Match</c> gets a 304.
/// </summary>
public sealed record DashboardFileResult(byte[] Content, string ContentType, string? ETag, string CacheControl) : IActionResult
{
    public const string ContentSecurityPolicy = "default-src 'self'";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.XFrameOptions] = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers[HeaderNames.CacheControl] = CacheControl;
        if (ETag is not null)
        {
            response.Headers[HeaderNames.ETag] = ETag;
            if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == ETag || t.Trim() == "*")))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = Content.Length;
        await response.Body.WriteAsync(Content, context.HttpContext.RequestAborted);
    }
}
