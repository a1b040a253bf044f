using System.Security.Cryptography;
using System.Text;
using Acms.Domain.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Acms.Bench;

/// <summary>
/// The reproducible dataset: the same seed gives the same rows, ids included. Memories are streamed to PostgreSQL with
/// binary COPY; the secondary indexes of memory_items are dropped for the load and re-created with their own definitions.
/// </summary>
public static class Dataset
{
    /// <summary>The benchmark's "now": every age is relative to it, and the jobs run at it.</summary>
    public static readonly DateTime Now = new(2026, 11, 2, 3, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Subjects = ["the deploy pipeline", "the billing service", "our Postgres cluster", "the mobile app", "the onboarding flow",
        "the search index", "the nightly export", "customer Acme", "the design system", "the auth gateway", "the data warehouse", "the support queue",
        "the release train", "the staging cluster", "the recommendation model", "the invoice generator"];
    private static readonly string[] Verbs = ["uses", "needs", "was migrated to", "depends on", "should avoid", "prefers", "is blocked by", "was fixed with",
        "is monitored by", "is configured with", "times out without", "was rolled back because of"];
    private static readonly string[] Objects = ["a 30 second timeout", "feature flags", "the blue-green strategy", "connection pooling", "retry with backoff",
        "UTC timestamps", "a read replica", "batch sizes of 500", "the v2 API", "weekly key rotation", "an on-call runbook", "idempotent writes",
        "gzip compression", "structured logging", "the EU region", "a canary release"];
    private static readonly string[] Tails = ["according to the last incident review", "as agreed in the planning meeting", "per the architecture decision record",
        "since the outage in March", "for the enterprise customers", "until the next quarterly review", "which the team confirmed twice", ""];
    private static readonly string[] Phases = ["planning", "implementation", "review", "debugging", "deployment", "retrospective"];
    private static readonly string[] TagPool = ["infra", "backend", "frontend", "db", "security", "ops", "customer", "decision", "howto", "bug"];
    private static readonly string[] OutcomeTypes = ["success", "failure", "partial", "corrected"];

    public static async Task<DatasetSummary> BuildAsync(NpgsqlDataSource db, BenchOptions o, TextWriter log, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync(ct);

        var rng = new Random(o.Seed);
        var userIds = new Guid[o.Users];
        for (var i = 0; i < userIds.Length; i++)
        {
            userIds[i] = NewGuid(rng);
        }

        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await using (var writer = await connection.BeginBinaryImportAsync("COPY users (user_id, username, display_name, created_at) FROM STDIN (FORMAT BINARY)", ct))
            {
                for (var i = 0; i < userIds.Length; i++)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(userIds[i], NpgsqlDbType.Uuid, ct);
                    await writer.WriteAsync($"bench-user-{i:D5}", NpgsqlDbType.Varchar, ct);
                    await writer.WriteAsync($"Bench User {i}", NpgsqlDbType.Varchar, ct);
                    await writer.WriteAsync(Now.AddDays(-400), NpgsqlDbType.TimestampTz, ct);
                }

                await writer.CompleteAsync(ct);
            }

            var indexes = await DropSecondaryIndexesAsync(connection, "memory_items", ct);
            var (memories, dupMembers, dupGroups, outcomes) = await LoadMemoriesAsync(connection, rng, userIds, o.Memories, ct);
            log.WriteLine($"  memories: {memories:N0} ({dupMembers:N0} in {dupGroups:N0} near-duplicate groups), outcomes: {outcomes:N0}, COPY done at {started.Elapsed.TotalSeconds:F1} s");
            foreach (var definition in indexes)
            {
                await using var create = new NpgsqlCommand(definition, connection) { CommandTimeout = 0 };
                await create.ExecuteNonQueryAsync(ct);
            }

            log.WriteLine($"  {indexes.Count} secondary indexes re-created at {started.Elapsed.TotalSeconds:F1} s");
            await SeedJobRunsAsync(connection, ct);

            var (qh, source) = await QueryHistoryHook.SeedAsync(db, userIds, Now, o.Queries, o.Seed, ct);
            log.WriteLine($"  query_history: {qh:N0} rows ({source})");

            await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 })
            {
                await vacuum.ExecuteNonQueryAsync(ct);
            }

            // Autovacuum would start in the middle of a batched job (after 20% of the rows changed) but only after a
            // single-statement floor committed: it is switched off on the bench copies so both sides are measured alone.
            await using (var noAutovacuum = new NpgsqlCommand(
                "ALTER TABLE memory_items SET (autovacuum_enabled = false); ALTER TABLE outcomes SET (autovacuum_enabled = false); ALTER TABLE query_history SET (autovacuum_enabled = false)", connection))
            {
                await noAutovacuum.ExecuteNonQueryAsync(ct);
            }

            await using var size = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
            var bytes = (long)(await size.ExecuteScalarAsync(ct))!;
            return new DatasetSummary(o.Users, memories, dupMembers, dupGroups, outcomes, qh, source, Math.Round(started.Elapsed.TotalSeconds, 1), bytes);
        }
    }

    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var list = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = @table::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """, connection))
        {
            list.Parameters.AddWithValue("table", table);
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in definitions)
        {
            await using var drop = new NpgsqlCommand($"DROP INDEX \"{name}\"", connection);
            await drop.ExecuteNonQueryAsync(ct);
        }

        return [.. definitions.Select(d => d.Definition)];
    }

    private static async Task<(long Memories, long DupMembers, long DupGroups, long Outcomes)> LoadMemoriesAsync(
        NpgsqlConnection connection, Random rng, Guid[] userIds, int count, CancellationToken ct)
    {
        // Users differ in size: a few heavy users, a long tail (index = users × u^1.6).
        long dupMembers = 0, dupGroups = 0, written = 0;
        var serial = 0;
        var outcomesFile = new List<OutcomeRow>();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY memory_items (memory_id, user_id, content, content_hash, tier, phase, tags,
                               crs_score, semantic_score, recency_score, outcome_score, frequency_score, correction_score,
                               access_count, last_accessed, created_at, updated_at, privacy_level, last_decayed_at, confidence_score)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            while (written < count)
            {
                var user = userIds[(int)(userIds.Length * Math.Pow(rng.NextDouble(), 1.6))];
                var text = BaseText(rng, ++serial);
                // ~10% of memories are members of near-duplicate groups of 2-4 (a group starts with p = 3.6%).
                var groupSize = rng.NextDouble() < 0.036 ? rng.Next(2, 5) : 1;
                groupSize = (int)Math.Min(groupSize, count - written);
                if (groupSize > 1)
                {
                    dupGroups++;
                    dupMembers += groupSize;
                }

                for (var v = 0; v < groupSize; v++)
                {
                    var content = Variant(text, v);
                    var memory = await WriteMemoryAsync(writer, rng, user, content, ct);
                    written++;
                    if (rng.NextDouble() < 0.20)
                    {
                        var n = rng.Next(1, 4);
                        for (var k = 0; k < n; k++)
                        {
                            outcomesFile.Add(new OutcomeRow(NewGuid(rng), memory.Id, OutcomeTypes[rng.Next(OutcomeTypes.Length)],
                                Math.Round(rng.NextDouble() * 2 - 1, 3), memory.CreatedAt.AddSeconds(rng.NextDouble() * (Now - memory.CreatedAt).TotalSeconds)));
                        }
                    }
                }
            }

            await writer.CompleteAsync(ct);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY outcomes (outcome_id, memory_id, outcome_type, feedback_score, description, \"timestamp\") FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in outcomesFile)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(r.Id, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(r.Memory, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(r.Type, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(r.Score, NpgsqlDbType.Double, ct);
                await writer.WriteAsync($"{r.Type} when the memory was used", NpgsqlDbType.Text, ct);
                await writer.WriteAsync(r.At, NpgsqlDbType.TimestampTz, ct);
            }

            await writer.CompleteAsync(ct);
        }

        return (written, dupMembers, dupGroups, outcomesFile.Count);
    }

    private sealed record OutcomeRow(Guid Id, Guid Memory, string Type, double Score, DateTime At);

    private static async Task<(Guid Id, DateTime CreatedAt)> WriteMemoryAsync(NpgsqlBinaryImporter writer, Random rng, Guid user, string content, CancellationToken ct)
    {
        var id = NewGuid(rng);
        // Age 0-180 days, more recent than old; idle time: 30% never accessed, else last access between creation and now.
        var ageDays = 180 * Math.Pow(rng.NextDouble(), 1.3);
        var createdAt = Now.AddDays(-ageDays);
        DateTime? lastAccessed = rng.NextDouble() < 0.30 ? null : createdAt.AddDays(ageDays * Math.Pow(rng.NextDouble(), 0.7));
        var accessCount = lastAccessed is null ? 0 : 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 6);
        // Decay history: 45% never decayed (first run since the migration), 45% decayed through yesterday, 10% already today.
        var h = rng.NextDouble();
        DateTime? lastDecayedAt = h < 0.45 ? null : h < 0.90 ? Now.AddDays(-1).AddMinutes(-rng.Next(0, 120)) : Now.AddHours(-rng.Next(1, 20));
        if (lastDecayedAt < createdAt)
        {
            lastDecayedAt = null;
        }

        var t = rng.NextDouble();
        var tier = t < 0.60 ? "SHORT" : t < 0.90 ? "MID" : "LONG";
        var p = rng.NextDouble();
        var privacy = p < 0.10 ? "PUBLIC" : p < 0.80 ? "INTERNAL" : p < 0.95 ? "CONFIDENTIAL" : "LOCAL_ONLY";
        var tags = new string[rng.Next(0, 4)];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = TagPool[rng.Next(TagPool.Length)];
        }

        await writer.StartRowAsync(ct);
        await writer.WriteAsync(id, NpgsqlDbType.Uuid, ct);
        await writer.WriteAsync(user, NpgsqlDbType.Uuid, ct);
        await writer.WriteAsync(content, NpgsqlDbType.Text, ct);
        await writer.WriteAsync(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), NpgsqlDbType.Varchar, ct);
        await writer.WriteAsync(tier, NpgsqlDbType.Varchar, ct);
        await writer.WriteAsync(Phases[rng.Next(Phases.Length)], NpgsqlDbType.Varchar, ct);
        await writer.WriteAsync(tags.Distinct().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Varchar, ct);
        await writer.WriteAsync(Beta(rng, 2, 3), NpgsqlDbType.Double, ct);   // crs
        await writer.WriteAsync(Beta(rng, 2, 2), NpgsqlDbType.Double, ct);   // semantic
        await writer.WriteAsync(Beta(rng, 1.5, 3), NpgsqlDbType.Double, ct); // recency
        await writer.WriteAsync(Beta(rng, 2, 2.5), NpgsqlDbType.Double, ct); // outcome
        await writer.WriteAsync(Beta(rng, 1.2, 3), NpgsqlDbType.Double, ct); // frequency
        await writer.WriteAsync(Beta(rng, 1, 8), NpgsqlDbType.Double, ct);   // correction
        await writer.WriteAsync(accessCount, NpgsqlDbType.Integer, ct);
        await writer.WriteAsync(lastAccessed, NpgsqlDbType.TimestampTz, ct);
        await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, ct);
        await writer.WriteAsync(lastAccessed ?? createdAt, NpgsqlDbType.TimestampTz, ct);
        await writer.WriteAsync(privacy, NpgsqlDbType.Varchar, ct);
        await writer.WriteAsync(lastDecayedAt, NpgsqlDbType.TimestampTz, ct);
        await writer.WriteAsync(Math.Round(0.5 + rng.NextDouble() * 0.5, 3), NpgsqlDbType.Double, ct);
        return (id, createdAt);
    }

    /// <summary>A sentence unique by its token, without trailing punctuation.</summary>
    private static string BaseText(Random rng, int serial)
    {
        var tail = Tails[rng.Next(Tails.Length)];
        // A unique token per memory (a bijection of the serial, so unique) that shares no 3-grams with its neighbours:
        // unrelated memories stay far below the dedup job's similarity threshold (Jaccard 0.95 on character 3-grams).
        return $"Note {unchecked((uint)serial * 2654435761u):x8}: {Subjects[rng.Next(Subjects.Length)]} {Verbs[rng.Next(Verbs.Length)]} {Objects[rng.Next(Objects.Length)]}"
               + (tail.Length > 0 ? $", {tail}" : "");
    }

    /// <summary>
    /// Distinct texts (so distinct SHA-256) that the dedup job's normalisation (NFKC, case fold, whitespace collapse,
    /// trailing sentence punctuation) maps to the same string: the original, a trailing period, doubled spaces, upper case.
    /// </summary>
    public static string Variant(string text, int variant) => variant switch
    {
        0 => text,
        1 => text + ".",
        2 => text.Replace(" ", "  ", StringComparison.Ordinal) + "!",
        _ => text.ToUpperInvariant() + " ?",
    };

    /// <summary>Kumaraswamy(a, b): a beta-like shape on 0..1 from one uniform draw.</summary>
    private static double Beta(Random rng, double a, double b) =>
        Math.Round(Math.Pow(1 - Math.Pow(1 - rng.NextDouble(), 1 / b), 1 / a), 6);

    public static Guid NewGuid(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (little-endian field layout of Guid(bytes))
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>A year of ledger history for the read APIs: hourly topic extraction, daily and weekly jobs.</summary>
    private static async Task SeedJobRunsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO job_runs (job_run_id, job_name, trigger, status, dry_run, started_at, completed_at,
                                  input_count, output_count, affected_count, execution_time_ms, host, result)
            SELECT md5(j.name || s.at::text)::uuid, j.name, 'timer',
                   CASE WHEN abs(hashtext(j.name || s.at::text)) % 50 = 0 THEN 'failed' ELSE 'succeeded' END, false,
                   s.at, s.at + interval '40 seconds', 1000, 1000, 1000, 40000, 'bench', '{}'::jsonb
            FROM (VALUES ('topic_extraction', interval '1 hour'), ('decay', interval '1 day'), ('insight_generation', interval '1 day'),
                         ('dedup', interval '7 days'), ('cleanup', interval '7 days'), ('weekly_report', interval '7 days')) AS j(name, every)
            CROSS JOIN LATERAL generate_series(@Now - interval '365 days', @Now - interval '1 hour', j.every) AS s(at)
            """, connection);
        cmd.Parameters.AddWithValue("Now", Now);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
