using Acms.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace Acms.EndToEnd.Dashboard;

/// <summary>A dashboard test class over its host fixture: one browser per test, launched only when the host and chromium can run.</summary>
public abstract class DashboardBrowserTest<THost>(THost host) : IAsyncLifetime
    where THost : FunctionsHost
{
    private DashboardBrowser? _browser;

    protected THost Host { get; } = host;

    protected DashboardBrowser Browser => _browser!;

    protected IPage Page => Browser.Page;

    public async Task InitializeAsync()
    {
        if (Host.SkipReason is null && DashboardBrowser.Unavailable() is null)
        {
            _browser = await DashboardBrowser.LaunchAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    /// <summary>Skips the test with one reason when the host or the browser cannot run here.</summary>
    protected void Require()
    {
        Host.RequireHost();
        var why = DashboardBrowser.Unavailable();
        Skip.If(why is not null, why);
    }
}
