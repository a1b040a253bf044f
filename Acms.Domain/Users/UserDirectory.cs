using Acms.Domain.Common;
using Dapper;
using Npgsql;

namespace Acms.Domain.Users;

/// <summary>
/// Lists users for pickers (the dashboard's insights scope). Reads only the <c>users</c> table, by its unique username
/// index, so the answer costs the same on a store of any size.
/// </summary>
public sealed class UserDirectory(NpgsqlDataSource dataSource)
{
    public const int MaxLimit = 500;
    public const int MaxSearchLength = 100;

    /// <param name="search">Optional: a case-insensitive part of the username or display name.</param>
    /// <param name="limit">1–<see cref="MaxLimit"/> (else <see cref="AcmsValidationException"/>).</param>
    public async Task<UserList> ListAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        RequestValidation.InRange("limit", limit, 1, MaxLimit);
        var term = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        if (term is { Length: > MaxSearchLength })
        {
            throw new AcmsValidationException("q", $"must be at most {MaxSearchLength} characters.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<UserListItem>(new CommandDefinition("""
            SELECT user_id AS UserId, username AS Username, display_name AS DisplayName, is_active AS IsActive
            FROM users
            WHERE @Pattern::text IS NULL OR username ILIKE @Pattern OR display_name ILIKE @Pattern
            ORDER BY username
            LIMIT @Limit
            """, new { Pattern = term is null ? null : $"%{EscapeLike(term)}%", Limit = limit }, cancellationToken: cancellationToken))).AsList();
        return new UserList(rows, rows.Count);
    }

    /// <summary>The search text is matched literally: LIKE's wildcards in it are escaped.</summary>
    private static string EscapeLike(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
