using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Users;
using Acms.Functions.Users;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Tests.Users;

public sealed class UserDirectoryTests : DatabaseTest
{
    private async Task InsertAsync(string username, string? displayName, bool active = true)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO users (user_id, username, display_name, is_active) VALUES (@Id, @Username, @DisplayName, @Active)",
            new { Id = Guid.NewGuid(), Username = username, DisplayName = displayName, Active = active });
    }

    [Fact]
    public async Task Lists_users_by_username_up_to_the_limit()
    {
        await InsertAsync("carol", "Carol C");
        await InsertAsync("alice", null);
        await InsertAsync("bob", "Bob B", active: false);

        var list = await new UserDirectory(Db.DataSource).ListAsync(null, 2, CancellationToken.None);

        Assert.Equal(["alice", "bob"], list.Users.Select(u => u.Username));
        Assert.Equal(2, list.Count);
        Assert.Null(list.Users[0].DisplayName);
        Assert.False(list.Users[1].IsActive);
    }

    [Fact]
    public async Task Search_matches_part_of_the_username_or_display_name_literally()
    {
        await InsertAsync("dana", "Dana 100% Ops");
        await InsertAsync("erin_x", "Erin");
        await InsertAsync("frank", "Frank");
        var users = new UserDirectory(Db.DataSource);

        Assert.Equal(["dana"], (await users.ListAsync("100%", 10, CancellationToken.None)).Users.Select(u => u.Username));
        Assert.Equal(["erin_x"], (await users.ListAsync("_x", 10, CancellationToken.None)).Users.Select(u => u.Username));
        Assert.Equal(["frank"], (await users.ListAsync("FRANK", 10, CancellationToken.None)).Users.Select(u => u.Username));
        Assert.Empty((await users.ListAsync("%z", 10, CancellationToken.None)).Users);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(UserDirectory.MaxLimit + 1)]
    public async Task A_limit_out_of_range_is_rejected(int limit)
    {
        var error = await Assert.ThrowsAsync<AcmsValidationException>(() => new UserDirectory(Db.DataSource).ListAsync(null, limit, CancellationToken.None));

        Assert.Equal("limit", error.Field);
    }

    [Fact]
    public async Task A_search_longer_than_the_maximum_is_rejected()
    {
        var error = await Assert.ThrowsAsync<AcmsValidationException>(() =>
            new UserDirectory(Db.DataSource).ListAsync(new string('a', UserDirectory.MaxSearchLength + 1), 10, CancellationToken.None));

        Assert.Equal("q", error.Field);
    }

    [Fact]
    public async Task The_route_answers_in_the_envelope_and_rejects_a_bad_limit()
    {
        await InsertAsync("gina", "Gina");
        var functions = new UsersFunctions(new UserDirectory(Db.DataSource));

        var ok = Assert.IsType<JsonResult>(await functions.ListUsers(Get("?limit=5"), CancellationToken.None));
        using var body = JsonDocument.Parse(Json.Serialize(ok.Value));
        Assert.Equal("gina", body.RootElement.GetProperty("data").GetProperty("users")[0].GetProperty("username").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("data").GetProperty("count").GetInt32());

        // The middleware maps this to a 400 problem naming the parameter.
        var bad = await Assert.ThrowsAsync<AcmsValidationException>(() => functions.ListUsers(Get("?limit=abc"), CancellationToken.None));
        Assert.Equal("limit", bad.Field);
    }

    private static HttpRequest Get(string query) => AutomationRequests.Get(query);
}
