using Acms.Domain.Common;
using Acms.Functions.Access;
using Acms.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace Acms.Tests.Functions;

/// <summary>The catch-all's answer: 405 with the allowed methods when some route has the path, else 404.</summary>
public sealed class UnmatchedRouteTests
{
    [Theory]
    [InlineData("v2/jobs/decay/run", "POST")]
    [InlineData("v2/reports/0b7a2f3e-1111-2222-3333-444455556666", "GET")]
    [InlineData("signed-in/v2/jobs/runs/abc", "GET")]
    [InlineData("dashboard/assets/app.js", "GET")]
    [InlineData("/v2/jobs/status", "GET")]
    public void A_path_some_route_has_lists_its_methods(string path, string method)
    {
        Assert.Equal([method], HttpRoutes.MethodsAt(path));
    }

    [Theory]
    [InlineData("v2/jobs/nope/run")]
    [InlineData("v2/jobs//pause")]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    public void A_path_no_route_has_lists_none(string path)
    {
        Assert.Empty(HttpRoutes.MethodsAt(path));
    }

    [Fact]
    public void A_wrong_method_is_405_and_an_unknown_path_404()
    {
        var function = new UnmatchedRouteFunction();

        var notAllowed = Assert.Throws<MethodNotAllowedException>(() => function.UnmatchedRoute(Request("PUT", "v2/jobs/decay/run")));
        Assert.Equal(["POST"], notAllowed.Allowed);
        var notFound = Assert.Throws<NotFoundException>(() => function.UnmatchedRoute(Request("GET", "v2/jobs/nope/run")));
        Assert.Equal("/api/v2/jobs/nope/run", notFound.Id);
    }

    private static HttpRequest Request(string method, string rest)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.RouteValues["rest"] = rest;
        return context.Request;
    }
}
