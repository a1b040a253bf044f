using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Acms.Domain.Demo;

/// <summary>
/// A realistic, deterministic ACMS store for the demo: users; memories across ages, tiers, scores and privacy levels
/// (some never accessed); near-duplicates within a user; old low-score SHORT-tier rows; outcomes. Loaded with COPY.
/// </summary>
public static class MemorySeeder
{
    private static readonly string[] Subjects = ["the billing service", "the mobile app", "the data pipeline", "the onboarding flow", "the search API", "the analytics dashboard", "the auth gateway", "the nightly ETL", "the recommendation model", "the support bot"];
    private static readonly string[] Facts =
    [
        "{0} runs on PostgreSQL 16 with read replicas in two regions",
        "{0} caches sessions in Redis with a 30 minute TTL",
        "the team prefers feature flags over long-lived branches for {0}",
        "{0} deploys through GitHub Actions to Azure Container Apps",
        "on-call for {0} rotates weekly on Mondays",
        "{0} had an outage caused by connection pool exhaustion",
        "latency budget for {0} is 200 ms at p95",
        "{0} stores PII only in the EU region",
        "the owner of {0} asked for weekly cost reports",
        "{0} uses OpenTelemetry traces exported to Application Insights",
        "rollbacks of {0} are done by redeploying the previous image tag",
        "{0} depends on the payments provider webhook being idempotent",
    ];

    private static readonly string[] Tiers = ["SHORT", "SHORT", "SHORT", "MID", "MID", "LONG"];
    private static readonly string[] Privacy = ["INTERNAL", "INTERNAL", "INTERNAL", "INTERNAL", "INTERNAL", "INTERNAL", "PUBLIC", "CONFIDENTIAL", "CONFIDENTIAL", "LOCAL_ONLY"];
    private static readonly string[] OutcomeTypes = ["helpful", "used_in_answer", "corrected", "ignored"];

    public static async Task<SeededMemories> SeedAsync(NpgsqlDataSource db, int users, int memoriesPerUser, DateTime now, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var userIds = Enumerable.Range(0, users).Select(i => DeterministicGuid(random)).ToList();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);

        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY users (user_id, username, email, display_name, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < userIds.Count; i++)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(userIds[i], NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync($"demo-user-{i:D4}-{seed}", NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync($"user{i}.{seed}@example.com", NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync($"Demo User {i}", NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(now.AddDays(-200), NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(now.AddDays(-200), NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        long memories = 0, nearDuplicates = 0, stale = 0, outcomes = 0;
        var outcomeRows = new List<(Guid Memory, string Type, double Score, DateTime At)>();
        await using (var import = await connection.BeginBinaryImportAsync("""
            COPY memory_items (memory_id, user_id, content, content_hash, tier, tags, crs_score, semantic_score, recency_score,
                               outcome_score, frequency_score, access_count, last_accessed, created_at, updated_at, privacy_level)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var user in userIds)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var m = 0; m < memoriesPerUser; m++)
                {
                    var subject = Subjects[random.Next(Subjects.Length)];
                    var fact = string.Format(System.Globalization.CultureInfo.InvariantCulture, Facts[random.Next(Facts.Length)], subject);
                    var content = $"{char.ToUpperInvariant(fact[0])}{fact[1..]} (noted in sprint {random.Next(1, 60)}).";
                    var isStaleShort = random.NextDouble() < 0.12;
                    var ageDays = isStaleShort ? 35 + random.NextDouble() * 60 : Math.Pow(random.NextDouble(), 1.5) * 150;
                    var created = now.AddDays(-ageDays);
                    DateTime? accessed = isStaleShort || random.NextDouble() < 0.3 ? null : created.AddDays(random.NextDouble() * ageDays);
                    var tier = isStaleShort ? "SHORT" : Tiers[random.Next(Tiers.Length)];
                    var outcome = isStaleShort ? random.NextDouble() * 0.45 : random.NextDouble();
                    var frequency = isStaleShort ? random.NextDouble() * 0.45 : random.NextDouble();
                    var privacy = Privacy[random.Next(Privacy.Length)];

                    var copies = random.NextDouble() < 0.08 ? random.Next(2, 4) : 1;
                    for (var c = 0; c < copies; c++)
                    {
                        var text = c == 0 ? content : NearDuplicateText.Variant(content, random.Next(NearDuplicateText.Kinds * 2));
                        if (!seen.Add(text))
                        {
                            continue;
                        }

                        var id = DeterministicGuid(random);
                        await import.StartRowAsync(cancellationToken);
                        await import.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                        await import.WriteAsync(user, NpgsqlDbType.Uuid, cancellationToken);
                        await import.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);
                        await import.WriteAsync(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), NpgsqlDbType.Varchar, cancellationToken);
                        await import.WriteAsync(tier, NpgsqlDbType.Varchar, cancellationToken);
                        await import.WriteAsync(new[] { subject.Replace("the ", "", StringComparison.Ordinal).Replace(' ', '-') }, NpgsqlDbType.Array | NpgsqlDbType.Varchar, cancellationToken);
                        await import.WriteAsync(Math.Round(random.NextDouble(), 4), NpgsqlDbType.Double, cancellationToken);
                        await import.WriteAsync(Math.Round(random.NextDouble(), 4), NpgsqlDbType.Double, cancellationToken);
                        await import.WriteAsync(Math.Round(random.NextDouble(), 4), NpgsqlDbType.Double, cancellationToken);
                        await import.WriteAsync(Math.Round(outcome, 4), NpgsqlDbType.Double, cancellationToken);
                        await import.WriteAsync(Math.Round(frequency, 4), NpgsqlDbType.Double, cancellationToken);
                        await import.WriteAsync(accessed is null ? 0 : random.Next(1, 40), NpgsqlDbType.Integer, cancellationToken);
                        if (accessed is { } at)
                        {
                            await import.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                        }
                        else
                        {
                            await import.WriteNullAsync(cancellationToken);
                        }

                        await import.WriteAsync(created, NpgsqlDbType.TimestampTz, cancellationToken);
                        await import.WriteAsync(created, NpgsqlDbType.TimestampTz, cancellationToken);
                        await import.WriteAsync(c == 0 ? privacy : Privacy[random.Next(Privacy.Length)], NpgsqlDbType.Varchar, cancellationToken);
                        memories++;
                        nearDuplicates += c > 0 ? 1 : 0;
                        stale += isStaleShort ? 1 : 0;

                        if (random.NextDouble() < 0.2)
                        {
                            outcomeRows.Add((id, OutcomeTypes[random.Next(OutcomeTypes.Length)], Math.Round(random.NextDouble(), 3), created.AddHours(random.Next(1, 48))));
                        }
                    }
                }
            }

            await import.CompleteAsync(cancellationToken);
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY outcomes (outcome_id, memory_id, outcome_type, feedback_score, description, \"timestamp\") FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (memory, type, score, at) in outcomeRows)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(DeterministicGuid(random), NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(memory, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(type, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(score, NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync($"{type} feedback", NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                outcomes++;
            }

            await import.CompleteAsync(cancellationToken);
        }

        return new SeededMemories(userIds, memories, nearDuplicates, stale, outcomes);
    }

    private static Guid DeterministicGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
