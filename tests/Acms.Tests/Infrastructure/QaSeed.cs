using System.Text.Json;
using Dapper;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>Inserts <c>query_history</c> rows the way the ACMS API would, for the intelligence tests.</summary>
public static class QaSeed
{
    public static async Task<Guid> QueryAsync(
        NpgsqlDataSource db,
        Guid userId,
        DateTimeOffset? createdAt,
        string question,
        string? answer = "An answer.",
        string? privacy = null,
        double? costUsd = null,
        bool fromCache = false,
        string? rawMetadata = null)
    {
        var id = Guid.NewGuid();
        var metadata = rawMetadata ?? JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["privacy_level"] = privacy,
            ["est_cost_usd"] = costUsd,
        }.Where(p => p.Value is not null).ToDictionary());
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO query_history (query_id, user_id, query_text, response_text, created_at, metadata, from_cache)
            VALUES (@Id, @UserId, @Question, @Answer, @CreatedAt, CAST(@Metadata AS jsonb), @FromCache)
            """, new { Id = id, UserId = userId, Question = question, Answer = answer, CreatedAt = createdAt?.UtcDateTime, Metadata = metadata, FromCache = fromCache });
        return id;
    }

    /// <summary>A row's effective level by the per-row form of the privacy model (<c>acms_qa_privacy</c>).</summary>
    public static Task<string> LevelAsync(NpgsqlDataSource db, Guid queryId) => ScalarAsync<string>(db,
        "SELECT acms_qa_privacy(q.metadata, q.user_id, q.query_text, q.response_text, q.created_at) FROM query_history q WHERE q.query_id = @queryId",
        new { queryId });

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, object? parameters = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public static async Task<List<T>> QueryListAsync<T>(NpgsqlDataSource db, string sql, object? parameters = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }
}
