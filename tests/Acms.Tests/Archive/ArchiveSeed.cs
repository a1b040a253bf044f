using Dapper;
using Npgsql;

namespace Acms.Tests.Archive;

/// <summary>Outcomes and read-backs for the tests of the jobs that archive memories.</summary>
public static class ArchiveSeed
{
    public static async Task<Guid> OutcomeAsync(NpgsqlDataSource db, Guid memoryId, string type = "used", double? feedback = 0.5)
    {
        var id = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO outcomes (outcome_id, memory_id, outcome_type, feedback_score, description) VALUES (@id, @memoryId, @type, @feedback, 'd-' || @id::text)",
            new { id, memoryId, type, feedback });
        return id;
    }

    public static async Task<long> CountAsync(NpgsqlDataSource db, string sql, object? args = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    public static async Task<HashSet<Guid>> IdsAsync(NpgsqlDataSource db, string sql, object? args = null)
    {
        await using var connection = await db.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Guid>(sql, args)];
    }

    public static async Task<bool> ExistsAsync(NpgsqlDataSource db, Guid memoryId) =>
        await CountAsync(db, "SELECT count(*) FROM memory_items WHERE memory_id = @memoryId", new { memoryId }) == 1;

    public static async Task<MemoryRow> MemoryAsync(NpgsqlDataSource db, Guid memoryId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<MemoryRow>("""
            SELECT memory_id AS MemoryId, tier AS Tier, privacy_level AS Privacy, tags AS Tags, access_count AS AccessCount,
                   last_accessed AS LastAccessed, content AS Content
            FROM memory_items WHERE memory_id = @memoryId
            """, new { memoryId });
    }
}
