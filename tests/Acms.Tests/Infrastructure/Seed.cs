using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>Inserts ACMS rows the way the ACMS API would, for tests to arrange their data.</summary>
public static class Seed
{
    public static async Task<Guid> UserAsync(NpgsqlDataSource db, string? username = null)
    {
        var id = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO users (user_id, username) VALUES (@Id, @Username)",
            new { Id = id, Username = username ?? $"user-{id:N}" });
        return id;
    }

    public static async Task<Guid> MemoryAsync(
        NpgsqlDataSource db,
        Guid userId,
        DateTimeOffset createdAt,
        DateTimeOffset? lastAccessed = null,
        double score = 1.0,
        double? outcomeScore = null,
        double? frequencyScore = null,
        string tier = "SHORT",
        string privacy = "INTERNAL",
        string? content = null,
        DateTimeOffset? lastDecayedAt = null,
        string[]? tags = null,
        int accessCount = 0)
    {
        var id = Guid.NewGuid();
        content ??= $"memory {id}";
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO memory_items (memory_id, user_id, content, content_hash, tier, crs_score, outcome_score, frequency_score,
                                      last_accessed, created_at, updated_at, privacy_level, last_decayed_at, tags, access_count)
            VALUES (@Id, @UserId, @Content, @Hash, @Tier, @Score, @Outcome, @Frequency,
                    @LastAccessed, @CreatedAt, @CreatedAt, @Privacy, @LastDecayedAt, @Tags, @AccessCount)
            """, new
        {
            Id = id,
            UserId = userId,
            Content = content,
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))),
            Tier = tier,
            Score = score,
            Outcome = outcomeScore ?? score,
            Frequency = frequencyScore ?? score,
            LastAccessed = lastAccessed?.UtcDateTime,
            CreatedAt = createdAt.UtcDateTime,
            Privacy = privacy,
            LastDecayedAt = lastDecayedAt?.UtcDateTime,
            Tags = tags ?? [],
            AccessCount = accessCount,
        });
        return id;
    }

    public static async Task<MemoryScores> ScoresAsync(NpgsqlDataSource db, Guid memoryId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<MemoryScores>(
            "SELECT crs_score AS Crs, outcome_score AS Outcome, frequency_score AS Frequency, last_decayed_at AS LastDecayedAt FROM memory_items WHERE memory_id = @memoryId",
            new { memoryId });
    }
}
