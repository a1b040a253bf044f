using Dapper;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>Q&amp;A rows that already have an extraction, for the insight and report tests.</summary>
public static class TopicSeed
{
    public const string Version = Acms.Domain.Jobs.TopicExtraction.KeyphraseExtractor.Version;

    /// <summary>
    /// Inserts <paramref name="count"/> Q&amp;A rows about <paramref name="topics"/>, spread evenly over [from, to), each with its
    /// extraction. With <paramref name="logged"/> each row also gets the <c>query_logs</c> row ACMS writes for an answer
    /// that drew on no memory (so its effective level is its declared one); without, its provenance is unknown. The
    /// extraction's effective level is computed by the privacy model, as the extraction job stores it.
    /// </summary>
    public static async Task ManyAsync(
        NpgsqlDataSource db, Guid userId, string[] topics, int count, DateTimeOffset from, DateTimeOffset to,
        string? question = null, double? costUsd = null, int cacheHits = 0, string privacy = "INTERNAL", bool logged = true)
    {
        if (count == 0)
        {
            return;
        }

        await using var connection = await db.OpenConnectionAsync();
        var parameters = new
        {
            UserId = userId, Topics = topics, Count = count, From = from.UtcDateTime, To = to.UtcDateTime, Question = question,
            Cost = costUsd, CacheHits = cacheHits, Privacy = privacy, Version, Logged = logged,
        };
        var ids = (await connection.QueryAsync<Guid>("""
            WITH q AS (
                INSERT INTO query_history (query_id, user_id, query_text, response_text, created_at, metadata, from_cache)
                SELECT gen_random_uuid(), @UserId, COALESCE(@Question, 'Question about ' || array_to_string(@Topics, ' ') || ' number ' || i),
                       'An answer.', @From + (i - 1) * ((@To - @From) / @Count),
                       jsonb_strip_nulls(jsonb_build_object('privacy_level', @Privacy, 'est_cost_usd', @Cost)), i <= @CacheHits
                FROM generate_series(1, @Count) AS i
                RETURNING query_id, user_id, query_text, created_at
            ),
            logs AS (
                INSERT INTO query_logs (log_id, user_id, query, query_hash, retrieved_memory_ids, latency_ms, "timestamp")
                SELECT gen_random_uuid(), user_id, query_text, encode(sha256(convert_to(query_text, 'UTF8')), 'hex'), '{}', 10, created_at - interval '2 seconds'
                FROM q WHERE @Logged
                RETURNING 1
            )
            SELECT query_id FROM q WHERE (SELECT count(*) FROM logs) >= 0
            """, parameters)).ToArray();

        // A second statement, so the privacy model sees the query_logs rows written by the first.
        await connection.ExecuteAsync("""
            INSERT INTO topic_extractions (source_type, source_id, user_id, topics, primary_topic, extraction_method, extractor_version, confidence,
                                           source_created_at, privacy_level, effective_privacy)
            SELECT 'query_history', q.query_id, q.user_id, @Topics, @Topics[1], 'keyword', @Version, 0.8, q.created_at, @Privacy,
                   acms_qa_privacy(q.metadata, q.user_id, q.query_text, q.response_text, q.created_at)
            FROM query_history q
            WHERE q.query_id = ANY(@Ids)
            """, new { Topics = topics, Version, Privacy = privacy, Ids = ids });
    }
}
