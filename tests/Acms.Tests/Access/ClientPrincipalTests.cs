using System.Text;
using Acms.Domain.Access;
using Acms.Tests.Infrastructure;

namespace Acms.Tests.Access;

public sealed class ClientPrincipalTests
{
    [Fact]
    public void An_entra_principal_yields_its_object_id_names_and_roles()
    {
        Assert.True(ClientPrincipal.TryParse(Principals.Header("oid-1", "Ada@Example.org", "Ada Lovelace", "Acms.Admin", "Other"), out var principal));

        Assert.Equal("oid-1", principal.ObjectId);
        Assert.Equal("11111111-2222-3333-4444-555555555555", principal.TenantId);
        Assert.Equal(["ada@example.org"], principal.SignInNames);
        Assert.Equal("Ada Lovelace", principal.DisplayName);
        Assert.Equal(["Acms.Admin", "Other"], principal.Roles);
        Assert.True(principal.IsAdmin);
    }

    [Fact]
    public void Roles_of_the_principal_s_role_type_count_and_other_roles_do_not_make_an_admin()
    {
        var json = """{"auth_typ":"aad","claims":[{"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"Acms.Admin"},{"typ":"oid","val":"x"}],"role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}""";
        Assert.True(ClientPrincipal.TryParse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), out var admin));
        Assert.True(admin.IsAdmin);
        Assert.Equal("x", admin.ObjectId);

        Assert.True(ClientPrincipal.TryParse(Principals.Header("o", "a@b.c", null, "acms.admin", "Acms.Reader"), out var notAdmin));
        Assert.False(notAdmin.IsAdmin); // role values are exact: a look-alike is not the admin role
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    [InlineData("eyJhdXRoX3R5cCI6ImFhZCJ9")] // {"auth_typ":"aad"}: no claims
    public void Anything_but_a_well_formed_principal_is_refused_without_an_exception(string? header)
    {
        Assert.False(ClientPrincipal.TryParse(header, out _));
    }

    [Fact]
    public void An_oversized_header_is_refused_unread()
    {
        Assert.False(ClientPrincipal.TryParse(new string('A', ClientPrincipal.MaxHeaderLength + 4), out _));
    }
}
