using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Acms.EndToEnd.Dashboard;

/// <summary>
/// Debian's chromium driven by Playwright (its own browser download is never used), in a fresh profile per test.
/// Records every request URL and every console error, so a test can prove the key stayed out of URLs and the CSP
/// blocked nothing. Without chromium, tests skip with one line.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("ACMS_E2E_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private DashboardBrowser(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        _playwright = playwright;
        Context = context;
        Page = page;
        _profile = profile;
        page.Request += (_, request) => { lock (RequestUrls) { RequestUrls.Add(request.Url); } };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (ConsoleErrors) { ConsoleErrors.Add(message.Text); }
            }
        };
        page.PageError += (_, error) => { lock (ConsoleErrors) { ConsoleErrors.Add(error); } };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> RequestUrls { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    /// <summary>Why browser tests can't run here, or null.</summary>
    public static string? Unavailable() => File.Exists(ExecutablePath)
        ? null
        : $"Browser tests skipped: no chromium at {ExecutablePath} (apt-get install chromium, or set ACMS_E2E_CHROMIUM).";

    public static async Task<DashboardBrowser> LaunchAsync(int width = 1280, int height = 900)
    {
        var profile = Directory.CreateTempSubdirectory("acms-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Timeout = 60_000,
        });
        context.SetDefaultTimeout(30_000);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new DashboardBrowser(playwright, context, page, profile);
    }

    /// <summary>Opens the dashboard the way a user does, with the key in the URL once; returns the time until the jobs are shown.</summary>
    public async Task<TimeSpan> OpenAsync(Uri baseAddress, string functionKey, string hash = "")
    {
        var clock = Stopwatch.StartNew();
        await Page.GotoAsync(new Uri(baseAddress, $"api/dashboard?code={Uri.EscapeDataString(functionKey)}{hash}").ToString());
        await Page.Locator("#view h1").First.WaitForAsync();
        return clock.Elapsed;
    }

    /// <summary>Presses the confirm button of the open confirmation dialog (after typing into its field, if asked).</summary>
    public async Task ConfirmAsync(string? input = null)
    {
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.WaitForAsync();
        if (input is not null)
        {
            await dialog.GetByRole(AriaRole.Textbox).FillAsync(input);
        }

        await dialog.Locator("#confirm-ok").ClickAsync();
        await dialog.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
    }

    public async Task<string> ScreenshotAsync(string directory, string name)
    {
        var folder = Path.Combine(directory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{name}.png"));
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its profile as it exits; the temp folder is only litter
        }
    }
}
