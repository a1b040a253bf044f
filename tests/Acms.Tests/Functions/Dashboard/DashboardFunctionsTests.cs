using System.Text;
using System.Text.RegularExpressions;
using Acms.Domain.Common;
using Acms.Functions.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Acms.Tests.Functions.Dashboard;

/// <summary>The dashboard page and its embedded assets: headers, caching, names that can't escape the set, and no inline code.</summary>
public sealed partial class DashboardFunctionsTests
{
    private static readonly DashboardAssets Assets = new();
    private static readonly DashboardFunctions Functions = new(Assets);

    private static async Task<HttpResponse> ExecuteAsync(IActionResult result, Action<HttpRequest>? arrange = null)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        arrange?.Invoke(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return context.Response;
    }

    private static string Body(HttpResponse response) => Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray());

    private static HttpRequest Request(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        return context.Request;
    }

    [Theory]
    [InlineData("/api/dashboard", "/api/dashboard/assets/")]
    [InlineData("/api/dashboard/", "/api/dashboard/assets/")]
    [InlineData("/custom-prefix/dashboard", "/custom-prefix/dashboard/assets/")]
    public async Task The_page_points_at_its_assets_under_its_own_path_with_a_version(string path, string assetsBase)
    {
        var response = await ExecuteAsync(Functions.Dashboard(Request(path)));
        var html = Body(response);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Matches($"<script type=\"module\" src=\"{Regex.Escape(assetsBase)}app\\.js\\?v=[0-9a-f]{{12}}\"></script>", html);
        Assert.Matches($"<link rel=\"stylesheet\" href=\"{Regex.Escape(assetsBase)}app\\.css\\?v=[0-9a-f]{{12}}\">", html);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_never_cached_sends_no_referrer_and_allows_only_this_origin()
    {
        var response = await ExecuteAsync(Functions.Dashboard(Request("/api/dashboard")));

        Assert.Equal("default-src 'self'", response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"].ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", response.Headers.XFrameOptions.ToString());
    }

    [Fact]
    public async Task Every_file_the_page_and_the_scripts_name_is_served()
    {
        var html = Body(await ExecuteAsync(Functions.Dashboard(Request("/api/dashboard"))));
        var referenced = AssetReference().Matches(html).Select(m => m.Groups[1].Value)
            .Concat(Assets.Names.Where(n => n.EndsWith(".js", StringComparison.Ordinal))
                .SelectMany(n => ImportReference().Matches(Text(n)).Select(m => m.Groups[1].Value)))
            .Distinct()
            .ToList();

        Assert.Contains("app.js", referenced);
        Assert.Contains("runs.js", referenced);
        Assert.All(referenced, name => Assert.Contains(name, Assets.Names));
    }

    [Fact]
    public void No_file_has_inline_code_eval_markup_injection_a_remote_url_or_writes_the_key_into_a_url()
    {
        var html = Encoding.UTF8.GetString(typeof(DashboardAssets).Assembly.GetManifestResourceStream("dashboard/index.html")!.ReadAllBytes());
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
        Assert.DoesNotMatch("<style|\\sstyle=|\\son[a-z]+=|javascript:", html);

        foreach (var name in Assets.Names.Where(n => n.EndsWith(".js", StringComparison.Ordinal) || n.EndsWith(".css", StringComparison.Ordinal)))
        {
            var text = Text(name);
            Assert.DoesNotMatch("\\beval\\(|new Function\\(|innerHTML|outerHTML|insertAdjacentHTML|document\\.write|setAttribute\\('style'|https?://(?!www\\.w3\\.org/2000/svg)", text);
            Assert.DoesNotMatch("code=\\$\\{|code=['\"`]\\s*\\+|searchParams\\.(set|append)\\('code'|console\\.", text);
        }
    }

    [Theory]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("app.css", "text/css; charset=utf-8")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task An_asset_has_its_content_type_an_etag_and_revalidates(string name, string contentType)
    {
        var response = await ExecuteAsync(Functions.DashboardAsset(Request($"/api/dashboard/assets/{name}"), name));
        var etag = response.Headers.ETag.ToString();

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(contentType, response.ContentType);
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
        Assert.Equal("default-src 'self'", response.Headers.ContentSecurityPolicy.ToString());
        Assert.Matches("^\"[0-9a-f]{20}\"$", etag);
        Assert.NotEmpty(Body(response));

        var again = await ExecuteAsync(Functions.DashboardAsset(Request($"/api/dashboard/assets/{name}"), name), r => r.Headers.IfNoneMatch = $"\"other\", {etag}");
        Assert.Equal(304, again.StatusCode);
        Assert.Empty(Body(again));
    }

    [Theory]
    [InlineData("../secrets/host.json")]
    [InlineData("..\\app.js")]
    [InlineData("%2e%2e/host.json")]
    [InlineData("/etc/passwd")]
    [InlineData("app.js/../app.css")]
    [InlineData("./app.js")]
    [InlineData("APP.JS")]
    [InlineData("index.html")]
    [InlineData("missing.js")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_an_asset_name_is_not_found(string? path)
    {
        var error = Assert.Throws<NotFoundException>(() => Functions.DashboardAsset(Request("/api/dashboard/assets/x"), path!));

        Assert.Equal("dashboard asset", error.Resource);
        Assert.DoesNotContain("..", error.Message, StringComparison.Ordinal);
    }

    private static string Text(string asset) => Encoding.UTF8.GetString(
        typeof(DashboardAssets).Assembly.GetManifestResourceStream(DashboardAssets.ResourcePrefix + asset)!.ReadAllBytes());

    [GeneratedRegex("assets/([a-z0-9_.-]+?)(?:\\?v=[0-9a-f]+)?\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("(?:from |import\\()'\\./([a-z0-9_.-]+)'")]
    private static partial Regex ImportReference();
}
