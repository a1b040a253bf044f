using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Acms.Domain.Demo;

/// <summary>
/// The provenance half of a realistic store, after <see cref="MemorySeeder"/> and <see cref="QueryHistorySeeder"/>:
/// <c>query_logs</c> rows for most Q&amp;A rows (ACMS's retrieval log: same user and question a few seconds before the
/// answer, with the PUBLIC or INTERNAL memories it retrieved), and the case the privacy model exists for — CONFIDENTIAL
/// and LOCAL_ONLY memories quoted word for word in answers, asked about by several users, some with a retrieval log,
/// some without one, their metadata declaring INTERNAL, PUBLIC or nothing. Deterministic for a seed.
/// </summary>
public static class ProvenanceSeeder
{
    private sealed record Sensitive(string Level, string Memory, string Question);

    // Each memory carries words found nowhere else in the demo (codenames, numbers, names): the end-to-end test looks
    // for them in every organisation output and every LLM prompt.
    private static readonly Sensitive[] SensitiveFacts =
    [
        new("CONFIDENTIAL", "Project Kestrel layoffs are planned for March", "What is planned for March?"),
        new("CONFIDENTIAL", "The Bluefin acquisition closes at 41 dollars per share", "What price was agreed for the acquisition?"),
        new("CONFIDENTIAL", "Revenue missed the Osprey forecast by twelve million", "How did revenue compare with the forecast?"),
        new("LOCAL_ONLY", "My door code for the Harwick lab is 7731", "What is my lab door code?"),
        new("LOCAL_ONLY", "Dr Quillon prescribed Zentravil for my migraines", "What did my doctor prescribe?"),
    ];

    private static readonly string[] Declared = ["", "INTERNAL", "PUBLIC"];

    // Most Q&A rows get the log ACMS writes when it retrieves memories for the answer: the user's PUBLIC or INTERNAL
    // memories (up to two), three seconds before the row. About three in ten have none, so their provenance stays unknown.
    private const string LinkSql = """
        INSERT INTO query_logs (log_id, user_id, query, query_hash, retrieved_memory_ids, result_count, latency_ms, "timestamp", privacy_level)
        SELECT md5(q.query_id::text || @Seed::text)::uuid, q.user_id, q.query_text, encode(sha256(convert_to(q.query_text, 'UTF8')), 'hex'),
               m.ids, cardinality(m.ids), 25, q.created_at - interval '3 seconds', 'PUBLIC'
        FROM query_history q
        CROSS JOIN LATERAL (
            SELECT COALESCE(array_agg(r.memory_id), '{}') AS ids
            FROM (SELECT mi.memory_id FROM memory_items mi
                  WHERE mi.user_id = q.user_id AND mi.privacy_level IN ('PUBLIC', 'INTERNAL')
                  ORDER BY md5(mi.memory_id::text || q.query_id::text) LIMIT 2) r
        ) m
        WHERE q.user_id = ANY(@Users) AND q.created_at IS NOT NULL
          AND ('x' || substr(md5(q.query_id::text || @Seed::text), 1, 8))::bit(32)::int % 10 BETWEEN -6 AND 6
        ON CONFLICT (log_id) DO NOTHING
        """;

    public static async Task<SeededProvenance> SeedAsync(NpgsqlDataSource db, IReadOnlyList<Guid> userIds, DateTime now, int seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (userIds.Count == 0)
        {
            return new SeededProvenance(0, 0, 0);
        }

        var random = new Random(seed + 7);
        var utcNow = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        // The ordinary rows first, so that none of the quoting rows below gets a log it should not have.
        long memories = 0, questions = 0;
        var logs = (long)await connection.ExecuteAsync(new CommandDefinition(LinkSql, new { Users = userIds.ToArray(), Seed = seed }, tx, cancellationToken: ct));
        var askers = Math.Min(userIds.Count, 4);
        foreach (var fact in SensitiveFacts)
        {
            var first = random.Next(userIds.Count);
            for (var n = 0; n < askers; n++)
            {
                var user = userIds[(first + n) % userIds.Count];
                var memory = Id(random);
                memories += await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO memory_items (memory_id, user_id, content, content_hash, tier, tags, crs_score, outcome_score, frequency_score,
                                              access_count, last_accessed, created_at, updated_at, privacy_level)
                    VALUES (@Memory, @User, @Content, @Hash, 'LONG', '{}', 0.9, 0.9, 0.9, 3, @Accessed, @Created, @Created, @Level)
                    ON CONFLICT (user_id, content_hash) DO NOTHING
                    """, new
                {
                    Memory = memory, User = user, Content = fact.Memory, Hash = Sha256(fact.Memory), Accessed = utcNow.AddDays(-1),
                    Created = utcNow.AddDays(-40), fact.Level,
                }, tx, cancellationToken: ct));

                // Each asker asks twice within the last ten days; the answer quotes the memory word for word.
                for (var k = 0; k < 2; k++)
                {
                    var at = utcNow.AddDays(-1 - random.NextDouble() * 9);
                    var declared = Declared[random.Next(Declared.Length)];
                    var metadata = declared.Length == 0
                        ? string.Create(CultureInfo.InvariantCulture, $$"""{"est_cost_usd": {{0.004 + random.Next(20) / 1000.0}}}""")
                        : string.Create(CultureInfo.InvariantCulture, $$"""{"est_cost_usd": {{0.004 + random.Next(20) / 1000.0}}, "privacy_level": "{{declared}}"}""");
                    await connection.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO query_history (query_id, user_id, query_text, response_text, response_source, created_at, metadata)
                        VALUES (@Id, @User, @Question, @Answer, 'fresh', @At, CAST(@Metadata AS jsonb))
                        """, new { Id = Id(random), User = user, fact.Question, Answer = $"From your notes: {fact.Memory}.", At = at, Metadata = metadata },
                        tx, cancellationToken: ct));
                    questions++;

                    // Two in three of them have the retrieval logged; the rest are of unknown provenance.
                    if (random.Next(3) > 0)
                    {
                        logs += await connection.ExecuteAsync(new CommandDefinition("""
                            INSERT INTO query_logs (log_id, user_id, query, query_hash, retrieved_memory_ids, result_count, latency_ms, "timestamp")
                            SELECT @Log, @User, @Question, @Hash, ARRAY[m.memory_id], 1, 30, @At
                            FROM memory_items m WHERE m.user_id = @User AND m.content_hash = @MemoryHash
                            """, new { Log = Id(random), User = user, fact.Question, Hash = Sha256(fact.Question), At = at.AddSeconds(-4), MemoryHash = Sha256(fact.Memory) },
                            tx, cancellationToken: ct));
                    }
                }
            }
        }

        await tx.CommitAsync(ct);
        return new SeededProvenance(memories, questions, logs);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Guid Id(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
