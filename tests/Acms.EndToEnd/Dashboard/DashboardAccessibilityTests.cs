using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Acms.EndToEnd.Dashboard;

/// <summary>
/// Every page of the dashboard checked by axe-core (WCAG 2.1 A and AA rules: labels, names, roles, contrast, keyboard
/// focusability of controls) at 1280 px and 390 px, in the real browser against the app on the real host.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class DashboardAccessibilityTests(DashboardHost host, ITestOutputHelper output) : DashboardBrowserTest<DashboardHost>(host)
{
    private static readonly string[] Pages = ["#/jobs", "#/runs", "#/insights", "#/reports"];

    [SkippableTheory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Every_page_has_no_wcag_a_or_aa_violation(int width, int height)
    {
        Require();
        await Page.SetViewportSizeAsync(width, height);
        await Browser.OpenAsync(Host.BaseAddress, Host.FunctionKey);
        var found = new List<string>();

        foreach (var hash in Pages)
        {
            await Page.EvaluateAsync($"() => {{ location.hash = '{hash}'; }}");
            await Page.Locator("#view h1").First.WaitForAsync();
            // Let the page's own API calls fill it, so axe sees the rendered tables, charts and buttons.
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var result = await Page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            });
            output.WriteLine($"{hash} at {width} px: {result.Passes.Length} rules pass, {result.Violations.Length} violated, {result.Incomplete.Length} need review");
            found.AddRange(result.Violations.SelectMany(v => v.Nodes.Select(n => $"{hash} {width}px {v.Id} ({v.Impact}): {n.Target}")));
        }

        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }
}
