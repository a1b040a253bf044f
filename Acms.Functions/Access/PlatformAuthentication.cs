using Acms.Domain.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Acms.Functions.Access;

/// <summary>
/// Reads the signed-in principal that App Service authentication (Easy Auth) puts in <c>X-MS-CLIENT-PRINCIPAL</c>. The
/// platform strips that header from client requests only while authentication is on, which it announces with
/// <c>WEBSITE_AUTH_ENABLED=True</c>; otherwise the header is whatever the client sent, so it is ignored and a warning is
/// logged (without its content: it is attacker-controlled, and may carry personal data).
/// </summary>
public sealed class PlatformAuthentication(IConfiguration configuration, ILogger<PlatformAuthentication> logger)
{
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    public bool Enabled => string.Equals(configuration[EnabledSetting]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public bool TryGetPrincipal(HttpRequest request, out ClientPrincipal principal)
    {
        principal = new ClientPrincipal(null, [], null, null);
        if (!request.Headers.TryGetValue(ClientPrincipal.HeaderName, out var values) || values.Count == 0)
        {
            return false;
        }

        if (!Enabled)
        {
            logger.LogWarning("Ignored an {Header} header on {Path}: App Service authentication is off ({Setting} is not True), so a client sent it",
                ClientPrincipal.HeaderName, request.Path.Value, EnabledSetting);
            return false;
        }

        if (values.Count != 1 || !ClientPrincipal.TryParse(values[0], out principal))
        {
            logger.LogWarning("Ignored a malformed {Header} header on {Path}", ClientPrincipal.HeaderName, request.Path.Value);
            return false;
        }

        return true;
    }
}
