using Acms.Domain.Access;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Access;

/// <summary>The mapping rule, on a real database: object id link, then e-mail, then username; ambiguity and deactivation refuse.</summary>
public sealed class PrincipalDirectoryTests : DatabaseTest
{
    private PrincipalDirectory Directory => new(Db.DataSource, new FakeTimeProvider(TestHost.Epoch));

    private static ClientPrincipal Principal(string? objectId, string? email, params string[] roles)
    {
        Assert.True(ClientPrincipal.TryParse(Principals.Header(objectId, email, null, roles), out var principal));
        return principal;
    }

    private async Task<Guid> UserAsync(string username, string? email, bool active = true)
    {
        var id = await Seed.UserAsync(Db.DataSource, username);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE users SET email = @email, is_active = @active WHERE user_id = @id", new { id, email, active });
        return id;
    }

    private async Task<List<(string ObjectId, Guid UserId, string MatchedBy)>> LinksAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, Guid, string)>("SELECT object_id, user_id, matched_by FROM user_identities ORDER BY object_id")).AsList();
    }

    [Fact]
    public async Task An_email_match_is_case_insensitive_and_is_stored_as_the_object_id_s_link()
    {
        var ada = await UserAsync("ada", "Ada@Example.org");

        var caller = await Directory.ResolveAsync(Principal("oid-ada", "ada@EXAMPLE.org"), CancellationToken.None);

        Assert.Equal(new Caller(CallerKind.User, ada, "ada@EXAMPLE.org"), caller);
        Assert.Equal([("oid-ada", ada, "email")], await LinksAsync());
    }

    [Fact]
    public async Task Once_linked_the_object_id_decides_even_after_the_email_changes()
    {
        var ada = await UserAsync("ada", "ada@example.org");
        await Directory.ResolveAsync(Principal("oid-ada", "ada@example.org"), CancellationToken.None);

        var caller = await Directory.ResolveAsync(Principal("oid-ada", "ada.lovelace@example.org"), CancellationToken.None);

        Assert.Equal(CallerKind.User, caller.Kind);
        Assert.Equal(ada, caller.UserId);
    }

    [Fact]
    public async Task A_username_matches_when_no_email_does()
    {
        var bob = await UserAsync("bob@example.org", null);

        var caller = await Directory.ResolveAsync(Principal("oid-bob", "Bob@example.org"), CancellationToken.None);

        Assert.Equal(bob, caller.UserId);
        Assert.Equal([("oid-bob", bob, "username")], await LinksAsync());
    }

    [Fact]
    public async Task An_email_of_one_user_that_is_another_user_s_username_is_ambiguous_only_within_one_rule()
    {
        var byEmail = await UserAsync("carol", "carol@example.org");
        await UserAsync("carol@example.org", null);

        var caller = await Directory.ResolveAsync(Principal("oid-carol", "carol@example.org"), CancellationToken.None);

        Assert.Equal(byEmail, caller.UserId); // the e-mail rule comes first and found exactly one
    }

    [Fact]
    public async Task Unknown_deactivated_or_nameless_principals_are_unknown_and_nothing_is_linked()
    {
        await UserAsync("dave", "dave@example.org", active: false);

        Assert.Equal(CallerKind.UnknownPrincipal, (await Directory.ResolveAsync(Principal("oid-x", "nobody@example.org"), CancellationToken.None)).Kind);
        Assert.Equal(CallerKind.UnknownPrincipal, (await Directory.ResolveAsync(Principal("oid-dave", "dave@example.org"), CancellationToken.None)).Kind);
        Assert.Equal(CallerKind.UnknownPrincipal, (await Directory.ResolveAsync(Principal("oid-y", null), CancellationToken.None)).Kind);
        Assert.Empty(await LinksAsync());
    }

    [Fact]
    public async Task The_admin_app_role_makes_an_admin_with_or_without_an_acms_user()
    {
        var erin = await UserAsync("erin", "erin@example.org");

        var mapped = await Directory.ResolveAsync(Principal("oid-erin", "erin@example.org", AccessPolicy.AdminRole), CancellationToken.None);
        var unmapped = await Directory.ResolveAsync(Principal("oid-ops", "ops@example.org", AccessPolicy.AdminRole), CancellationToken.None);

        Assert.Equal((CallerKind.Admin, (Guid?)erin), (mapped.Kind, mapped.UserId));
        Assert.Equal((CallerKind.Admin, (Guid?)null), (unmapped.Kind, unmapped.UserId));
    }

    [Fact]
    public async Task A_link_made_by_an_administrator_wins_over_the_email()
    {
        var frank = await UserAsync("frank", "frank@example.org");
        var other = await UserAsync("frank2", "frank.other@example.org");
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO user_identities (object_id, user_id, matched_by) VALUES ('oid-frank', @other, 'manual')", new { other });
        }

        var caller = await Directory.ResolveAsync(Principal("oid-frank", "frank@example.org"), CancellationToken.None);

        Assert.Equal(other, caller.UserId);
        Assert.NotEqual(frank, caller.UserId);
    }
}
