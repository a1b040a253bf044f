using Dapper;
using Npgsql;

namespace Acms.Domain.Access;

/// <summary>
/// Maps a trusted principal to a <see cref="Caller"/>. The rule: the <c>Acms.Admin</c> app role makes an admin. Otherwise
/// the Entra object id, if it is linked in <c>user_identities</c>, names the user; else the principal's e-mail and
/// sign-in names (case-insensitive) must match exactly one user's <c>users.email</c>, or failing that exactly one
/// user's <c>users.username</c>, and that match is stored as the object id's link. A deactivated user, no match or an
/// ambiguous match is an <see cref="CallerKind.UnknownPrincipal"/> (the HTTP layer answers 403).
/// </summary>
public sealed class PrincipalDirectory(NpgsqlDataSource dataSource, TimeProvider time)
{
    // One round trip: the object-id link (rank 0), then e-mail (1), then username (2) candidates.
    private const string CandidatesSql = """
        SELECT u.user_id AS UserId, u.is_active AS IsActive, 0 AS Rank
        FROM user_identities i JOIN users u ON u.user_id = i.user_id
        WHERE @ObjectId::text IS NOT NULL AND i.object_id = @ObjectId
        UNION ALL
        SELECT user_id, is_active, 1 FROM users WHERE cardinality(@Names::text[]) > 0 AND lower(email) = ANY(@Names)
        UNION ALL
        SELECT user_id, is_active, 2 FROM users WHERE cardinality(@Names::text[]) > 0 AND lower(username) = ANY(@Names)
        """;

    private const string LinkSql = """
        INSERT INTO user_identities (object_id, tenant_id, user_id, matched_by, linked_at)
        VALUES (@ObjectId, @TenantId, @UserId, @MatchedBy, @Now)
        ON CONFLICT (object_id) DO NOTHING
        """;

    private sealed record Candidate(Guid UserId, bool IsActive, int Rank);

    public async Task<Caller> ResolveAsync(ClientPrincipal principal, CancellationToken cancellationToken)
    {
        var objectId = principal.ObjectId;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var candidates = (await connection.QueryAsync<Candidate>(new CommandDefinition(
            CandidatesSql, new { ObjectId = objectId, Names = principal.SignInNames.ToArray() }, cancellationToken: cancellationToken))).AsList();

        // The best rank that has any candidate decides; two different users there is ambiguous, never a guess.
        var best = candidates.Count == 0 ? [] : candidates.Where(c => c.Rank == candidates.Min(x => x.Rank)).DistinctBy(c => c.UserId).ToList();
        var match = best.Count == 1 && best[0].IsActive ? best[0] : null;

        if (match is { Rank: > 0 } && objectId is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(LinkSql, new
            {
                ObjectId = objectId,
                principal.TenantId,
                match.UserId,
                MatchedBy = match.Rank == 1 ? "email" : "username",
                Now = time.GetUtcNow(),
            }, cancellationToken: cancellationToken));
        }

        var kind = principal.IsAdmin ? CallerKind.Admin : match is null ? CallerKind.UnknownPrincipal : CallerKind.User;
        return new Caller(kind, match?.UserId, principal.DisplayName);
    }
}
