using System.Net;
using Acms.EndToEnd.Infrastructure;

namespace Acms.EndToEnd.Access;

/// <summary>
/// On the plain host (no <c>WEBSITE_AUTH_ENABLED</c>, as in Azure with sign-in off) a client-sent principal header is
/// ignored: an "admin" principal opens no sign-in route and makes a key caller nothing else than automation, and the
/// host log has a warning without the header's content.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class SpoofedPrincipalTests(FunctionsHost host)
{
    [SkippableFact]
    public async Task A_spoofed_admin_principal_is_ignored_and_logged_without_its_content()
    {
        host.RequireHost();
        var spoofed = AccessMatrixHostTests.Header("oid-spoof", "mallory@example.org", "Acms.Admin");

        var signedIn = await SendAsync("api/signed-in/v2/jobs/status", spoofed, key: false);
        var me = await SendAsync("api/signed-in/v2/me", spoofed, key: false);
        var keyed = await SendAsync("api/v2/me", spoofed, key: true);

        Assert.Equal(HttpStatusCode.Unauthorized, signedIn.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, me.Status);
        Assert.True(keyed.Status == HttpStatusCode.OK, keyed.ToString());
        Assert.Equal("automation", keyed.Data.GetProperty("kind").GetString());
        var log = host.HostLog();
        Assert.Contains("Ignored an X-MS-CLIENT-PRINCIPAL header", log);
        Assert.DoesNotContain(spoofed, log);
        Assert.DoesNotContain("mallory", log, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<Answer> SendAsync(string path, string principal, bool key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        if (key)
        {
            request.Headers.Add("x-functions-key", host.FunctionKey);
        }

        using var response = await host.Anonymous.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
