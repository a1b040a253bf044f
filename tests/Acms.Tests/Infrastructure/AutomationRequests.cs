using System.Text;
using Acms.Domain.Access;
using Acms.Functions.Access;
using Microsoft.AspNetCore.Http;

namespace Acms.Tests.Infrastructure;

/// <summary>
/// Requests as the host hands them to a function after a function-key check: the caller is automation, which the
/// access policy treats as an administrator. Tests that call functions directly start from these.
/// </summary>
public static class AutomationRequests
{
    public static HttpRequest Get(string query = "")
    {
        var context = WithCaller();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    public static HttpRequest Get(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var context = WithCaller();
        context.Request.QueryString = QueryString.Create(query);
        return context.Request;
    }

    public static HttpRequest Post(string body)
    {
        var context = WithCaller();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        return context.Request;
    }

    private static DefaultHttpContext WithCaller()
    {
        var context = new DefaultHttpContext();
        AccessControl.Attach(context, Caller.Automation);
        return context;
    }
}
