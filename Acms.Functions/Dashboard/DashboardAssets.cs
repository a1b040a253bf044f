using System.Collections.Frozen;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Acms.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Dashboard;

/// <summary>
/// The dashboard's files, read once from the embedded resources <c>dashboard/*</c>. An asset is found by exact name in
/// that fixed set, so a request path can never reach the file system or another resource.
/// </summary>
public sealed partial class DashboardAssets
{
    public const string ResourcePrefix = "dashboard/";
    public const string PageName = "index.html";
    private const string AssetsPlaceholder = "{{assets}}";
    private const string VersionPlaceholder = "{{version}}";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;
    private readonly string _pageTemplate;
    private readonly string _version;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[ResourcePrefix.Length..];
            var content = buffer.ToArray();
            var type = ContentTypes.TryGetValue(Path.GetExtension(name), out var t) ? t : "application/octet-stream";
            files[name] = new DashboardAsset(name, content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..20]}\"");
        }

        var page = files.GetValueOrDefault(PageName) ?? throw new InvalidOperationException($"The embedded resource {ResourcePrefix}{PageName} is missing.");
        _pageTemplate = Encoding.UTF8.GetString(page.Content);
        files.Remove(PageName);
        _assets = files.ToFrozenDictionary(StringComparer.Ordinal);
        _version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(_assets.Values.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.ETag)))))[..12];
    }

    /// <summary>The names of the files served under <c>dashboard/assets/</c>.</summary>
    public IReadOnlyCollection<string> Names => _assets.Keys;

    /// <summary>The page, with asset URLs under <paramref name="pagePath"/> (whatever the host's route prefix is) and a version that changes with them.</summary>
    public IActionResult Page(string pagePath)
    {
        var assetsBase = WebUtility.HtmlEncode(pagePath.TrimEnd('/') + "/assets/");
        var html = _pageTemplate.Replace(AssetsPlaceholder, assetsBase, StringComparison.Ordinal).Replace(VersionPlaceholder, _version, StringComparison.Ordinal);

        // The page is fetched with the key in its URL: never cache it.
        return new DashboardFileResult(Encoding.UTF8.GetBytes(html), ContentTypes[".html"], ETag: null, CacheControl: "no-store");
    }

    /// <summary>An asset by exact name, revalidated by ETag.</summary>
    /// <exception cref="NotFoundException">Any other name (the middleware answers 404); a malformed one is not echoed.</exception>
    public IActionResult Asset(string? path)
    {
        var wellFormed = path is not null && SafeName().IsMatch(path);
        if (!wellFormed || !_assets.TryGetValue(path!, out var asset))
        {
            throw new NotFoundException("dashboard asset", wellFormed ? path! : "(malformed name)");
        }

        return new DashboardFileResult(asset.Content, asset.ContentType, asset.ETag, CacheControl: "no-cache");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*(\\.[a-z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
