using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Dashboard;

public sealed class DashboardFunctions(DashboardAssets assets)
{
    /// <summary>GET /api/dashboard?code=…: the dashboard page. It reads the key from its URL once and sends it as a header from then on.</summary>
    [Function(nameof(Dashboard))]
    public IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard")] HttpRequest request) =>
        assets.Page(request.PathBase.Add(request.Path).Value ?? "/api/dashboard");

    /// <summary>
    /// GET /api/dashboard/assets/{path}: the page's scripts and styles, embedded in this assembly. Anonymous on purpose:
    /// a browser loads <c>&lt;script src&gt;</c> and <c>&lt;link href&gt;</c> without custom headers, and the key must not
    /// go into URLs; these files are the same for everyone and carry no data (every data call needs the key).
    /// </summary>
    [Function(nameof(DashboardAsset))]
    public IActionResult DashboardAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/assets/{*path}")] HttpRequest request, string path) =>
        assets.Asset(path);
}
