using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>Inserts <c>query_logs</c> rows the way ACMS's retrieval path writes them (its privacy_level defaults to PUBLIC).</summary>
public static class QueryLogSeed
{
    public static async Task<Guid> LogAsync(
        NpgsqlDataSource db, Guid userId, string query, DateTimeOffset at, Guid[] memoryIds, string privacy = "PUBLIC", string? storedQuery = null)
    {
        var id = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO query_logs (log_id, user_id, query, query_hash, retrieved_memory_ids, result_count, latency_ms, "timestamp", privacy_level)
            VALUES (@Id, @UserId, @Query, @Hash, @Memories, @Count, 12.5, @At, @Privacy)
            """, new
        {
            Id = id,
            UserId = userId,
            Query = storedQuery ?? query,
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query))),
            Memories = memoryIds,
            Count = memoryIds.Length,
            At = at.UtcDateTime,
            Privacy = privacy,
        });
        return id;
    }
}
