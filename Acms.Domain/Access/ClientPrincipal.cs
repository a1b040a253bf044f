using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acms.Domain.Access;

/// <summary>
/// The signed-in caller as App Service authentication (Easy Auth) describes it in <c>X-MS-CLIENT-PRINCIPAL</c>:
/// base64 of <c>{"auth_typ","claims":[{"typ","val"}],"name_typ","role_typ"}</c>. Only trustworthy when the platform
/// put it there; deciding that is the caller's job (see the Functions layer's PlatformAuthentication).
/// </summary>
public sealed record ClientPrincipal(string? AuthType, IReadOnlyList<PrincipalClaim> Claims, string? NameType, string? RoleType)
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Larger headers are refused unread: Entra principals are a few kilobytes.</summary>
    public const int MaxHeaderLength = 64 * 1024;

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string TenantIdClaim = "http://schemas.microsoft.com/identity/claims/tenantid";
    private const string RoleClaim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    private static readonly string[] SignInNameClaims =
    [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "email",
        "preferred_username", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn",
    ];

    private sealed record Wire(
        [property: JsonPropertyName("auth_typ")] string? AuthType,
        [property: JsonPropertyName("claims")] List<WireClaim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameType,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    private sealed record WireClaim([property: JsonPropertyName("typ")] string? Type, [property: JsonPropertyName("val")] string? Value);

    /// <summary>Decodes a header value; false (never an exception) for anything that is not a well-formed principal.</summary>
    public static bool TryParse(string? headerValue, out ClientPrincipal principal)
    {
        principal = new ClientPrincipal(null, [], null, null);
        if (string.IsNullOrWhiteSpace(headerValue) || headerValue.Length > MaxHeaderLength)
        {
            return false;
        }

        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Encoding.UTF8.GetString(Convert.FromBase64String(headerValue.Trim())));
            if (wire?.Claims is null)
            {
                return false;
            }

            principal = new ClientPrincipal(
                wire.AuthType,
                [.. wire.Claims.Where(c => !string.IsNullOrEmpty(c.Type) && c.Value is not null).Select(c => new PrincipalClaim(c.Type!, c.Value!))],
                wire.NameType,
                wire.RoleType);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The Entra object id (<c>oid</c>): stable for a person in a tenant, unlike their e-mail.</summary>
    public string? ObjectId => First(ObjectIdClaim) ?? First("oid");

    public string? TenantId => First(TenantIdClaim) ?? First("tid");

    /// <summary>App roles: claims of the principal's role type, or <c>roles</c>.</summary>
    public IReadOnlyList<string> Roles =>
        [.. Claims.Where(c => c.Type == RoleType || c.Type == "roles" || c.Type == RoleClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal)];

    public bool IsAdmin => Roles.Contains(AccessPolicy.AdminRole, StringComparer.Ordinal);

    /// <summary>E-mail and sign-in names (UPN, preferred_username), lower-cased, to match <c>users.email</c> / <c>users.username</c>.</summary>
    public IReadOnlyList<string> SignInNames =>
        [.. SignInNameClaims.SelectMany(t => Claims.Where(c => c.Type == t)).Select(c => c.Value.Trim().ToLowerInvariant()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>A human-readable name for audit fields (who paused a job): the name claim, else a sign-in name.</summary>
    public string DisplayName
    {
        get
        {
            var names = SignInNames;
            return (NameType is null ? null : First(NameType)) ?? First("name") ?? (names.Count > 0 ? names[0] : null) ?? ObjectId ?? "signed-in user";
        }
    }

    private string? First(string type) => Claims.FirstOrDefault(c => c.Type == type)?.Value;
}
