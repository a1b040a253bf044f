using System.Text;
using System.Text.Json;

namespace Acms.Tests.Infrastructure;

/// <summary>X-MS-CLIENT-PRINCIPAL values shaped as App Service authentication with Microsoft Entra ID sends them.</summary>
public static class Principals
{
    public const string RoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    public static string Header(string? objectId = null, string? email = null, string? name = null, params string[] roles)
    {
        var claims = new List<object>();
        if (objectId is not null)
        {
            claims.Add(new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId });
            claims.Add(new { typ = "http://schemas.microsoft.com/identity/claims/tenantid", val = "11111111-2222-3333-4444-555555555555" });
        }

        if (email is not null)
        {
            claims.Add(new { typ = "preferred_username", val = email });
        }

        claims.Add(new { typ = "name", val = name ?? email ?? "Someone" });
        claims.AddRange(roles.Select(r => (object)new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = RoleType });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
