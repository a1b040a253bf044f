using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Acms.Domain.Demo;

/// <summary>
/// Realistic, deterministic Q&amp;A history for demos and benchmarks: engineering, devops, data and product questions
/// with answers of a few sentences, templated with variation; about a third name the system they are about. In the last two weeks a NEW topic (retrieval-augmented
/// generation) appears and Kubernetes autoscaling rises; some questions repeat; metadata carries est_cost_usd and
/// privacy_level (mostly INTERNAL, some PUBLIC, a few CONFIDENTIAL); about a quarter come from cache. Written with a
/// binary COPY, so 200k rows take seconds.
/// </summary>
public static class QueryHistorySeeder
{
    private sealed record Template(string Topic, string[] Questions, string[] Answers, bool NewInLastTwoWeeks = false, bool Rising = false);

    private static readonly string[] Subjects = ["the billing service", "our API gateway", "the search backend", "the mobile app", "the reporting pipeline", "the auth service", "the checkout flow", "the analytics job"];

    // Most questions do not name the system they are about ("our service"); a named system is a topic of its own.
    private static readonly string[] UnnamedSubjects = ["our service", "our app", "our system", "our project", "the main app"];

    private const double NamedSubjectShare = 0.3;

    private static readonly Template[] Templates =
    [
        new("kubernetes-autoscaling", [
            "How do I configure the Horizontal Pod Autoscaler for {0}?",
            "Why does the Kubernetes autoscaler not scale up {0} under load?",
            "Should {0} scale on CPU or on custom metrics in Kubernetes?"], [
            "The Horizontal Pod Autoscaler needs resource requests on every container; without them it cannot compute utilization. Set min and max replicas and a stabilization window to avoid flapping.",
            "Check kubectl describe hpa for the current metrics: a missing metrics server or custom metrics adapter is the usual cause. KEDA can scale on queue length instead of CPU."], Rising: true),
        new("kubernetes-ingress", [
            "How do I set up an ingress controller with TLS for {0}?",
            "Why does the Kubernetes ingress return 404 for {0}?"], [
            "Install the NGINX ingress controller with Helm and create an Ingress resource with a TLS secret; cert-manager keeps the certificate renewed.",
            "A 404 from the ingress controller usually means the host or path rule does not match, or the backend service name and port are wrong."]),
        new("postgres-performance", [
            "Why is this Postgres query slow in {0}?",
            "How do I read EXPLAIN ANALYZE for a slow query in {0}?",
            "Which index should I add to speed up Postgres queries in {0}?"], [
            "Run EXPLAIN ANALYZE and compare estimated with actual rows; a large mismatch means stale statistics, so run ANALYZE. Look for sequential scans on large tables.",
            "A composite B-tree index matching the WHERE and ORDER BY columns usually helps; check pg_stat_statements for the queries with the highest total time."]),
        new("postgres-vacuum", [
            "Autovacuum is not keeping up on a busy table in {0}, what should I tune?",
            "How do I deal with table bloat in Postgres for {0}?"], [
            "Lower autovacuum_vacuum_scale_factor for the table and raise the cost limit so vacuum runs sooner and finishes faster. Monitor n_dead_tup.",
            "pg_repack rebuilds a bloated table without long locks; VACUUM FULL takes an exclusive lock and should be avoided during business hours."]),
        new("docker-build", [
            "How do I make the Docker image of {0} smaller?",
            "Why is docker build not using the layer cache for {0}?"], [
            "Use a multi-stage build and a slim or distroless base image, and copy only the published output into the final stage.",
            "Copy dependency manifests first and restore before copying the source, so code changes do not invalidate the restore layer. Export the BuildKit cache in CI."]),
        new("github-actions", [
            "How do I cache dependencies in GitHub Actions for {0}?",
            "How do I run tests on every pull request with GitHub Actions for {0}?"], [
            "Use actions/cache keyed on a hash of the lock files, or the built-in cache option of the setup action.",
            "Add a workflow triggered on pull_request that checks out the code, restores dependencies and runs the tests, and make it a required check."]),
        new("terraform", [
            "How should I structure Terraform for the environments of {0}?",
            "Terraform state is locked for {0}, what do I do?"], [
            "Keep reusable modules and one root configuration per environment with remote state and locking.",
            "Make sure no apply is running, then run terraform force-unlock with the lock id and find out why the previous run died."]),
        new("redis-caching", [
            "Which Redis eviction policy should {0} use?",
            "How do I prevent a cache stampede in {0}?"], [
            "Set maxmemory and use allkeys-lru for a pure cache; volatile-lru only evicts keys with a TTL.",
            "Let one request recompute a hot key while others serve the stale value, and add jitter to TTLs."]),
        new("kafka-consumers", [
            "Kafka consumer lag keeps growing in {0}, how do I fix it?",
            "How many Kafka partitions does {0} need?"], [
            "You cannot have more active consumers than partitions: add partitions or speed up processing with batching.",
            "Divide the target throughput by what one consumer handles and leave headroom; adding partitions later changes key ordering."]),
        new("dotnet-async", [
            "How do I avoid deadlocks with async and await in {0}?",
            "Why does HttpClient exhaust sockets in {0}?"], [
            "Await tasks instead of blocking on .Result, and pass a CancellationToken through the call chain.",
            "Creating an HttpClient per request leaves sockets in TIME_WAIT; use IHttpClientFactory or a long-lived SocketsHttpHandler."]),
        new("data-pipelines", [
            "How do I make the dbt models of {0} incremental?",
            "How do I add data quality tests to the pipeline of {0}?"], [
            "Materialize as incremental with a unique_key and filter new rows with is_incremental() on an updated_at column.",
            "Add tests for nulls, uniqueness and accepted values, and monitor row counts and freshness per table."]),
        new("product-metrics", [
            "Which metrics should the dashboard of {0} track?",
            "How do I design an A/B test for {0}?"], [
            "Track activation, retention cohorts and revenue per user, each with a trend over time.",
            "Pick one primary metric, compute the sample size for the minimum detectable effect and run for full weeks."]),
        new("retrieval-augmented-generation", [
            "How do I add retrieval augmented generation to {0}?",
            "How should I chunk documents for RAG in {0}?",
            "Which embedding model should {0} use for vector search?"], [
            "Embed the question, retrieve the most similar chunks from a vector index such as pgvector and put them into the prompt; cite the sources.",
            "Split by headings and paragraphs into a few hundred tokens with some overlap, and evaluate retrieval with a labelled question set."], NewInLastTwoWeeks: true),
    ];

    private static readonly string[] RepeatedQuestions =
    [
        "How do I get access to the staging database?",
        "Where are the production logs for the API?",
        "How do I rotate my personal access token?",
    ];

    public static async Task<long> SeedAsync(
        NpgsqlDataSource db, IReadOnlyList<Guid> userIds, DateTime now, int weeks, int perUserPerWeek, int seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfLessThan(weeks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(perUserPerWeek);
        if (userIds.Count == 0 || perUserPerWeek == 0)
        {
            return 0;
        }

        var random = new Random(seed);
        var utcNow = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var start = utcNow.AddDays(-7 * weeks);
        var id = new byte[16];
        long written = 0;

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var importer = await connection.BeginBinaryImportAsync("""
            COPY query_history (query_id, user_id, query_text, response_text, response_source, confidence_score, latency_ms, created_at, metadata, from_cache)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var week = 0; week < weeks; week++)
        {
            var lastTwoWeeks = week >= weeks - 2;
            var candidates = Templates.Where(t => !t.NewInLastTwoWeeks || lastTwoWeeks).ToArray();
            var weights = candidates.Select(t => t.Rising && lastTwoWeeks ? 3.0 : t.NewInLastTwoWeeks ? 2.0 : 1.0).ToArray();
            var totalWeight = weights.Sum();
            foreach (var user in userIds)
            {
                for (var n = 0; n < perUserPerWeek; n++)
                {
                    string question, answer;
                    if (random.NextDouble() < 0.05)
                    {
                        question = RepeatedQuestions[random.Next(RepeatedQuestions.Length)];
                        answer = "Request it through the internal portal; the platform team approves requests within a day. The runbook in the wiki lists the exact steps.";
                    }
                    else
                    {
                        var template = Pick(candidates, weights, totalWeight, random);
                        var subject = random.NextDouble() < NamedSubjectShare
                            ? Subjects[random.Next(Subjects.Length)]
                            : UnnamedSubjects[random.Next(UnnamedSubjects.Length)];
                        question = string.Format(CultureInfo.InvariantCulture, template.Questions[random.Next(template.Questions.Length)], subject);
                        answer = template.Answers[random.Next(template.Answers.Length)] + $" For {subject}, start with the smallest change and measure.";
                    }

                    var createdAt = start.AddDays(7 * week).AddSeconds(random.NextDouble() * 7 * 86_400);
                    if (createdAt >= utcNow)
                    {
                        createdAt = utcNow.AddSeconds(-1 - random.Next(3600));
                    }

                    var privacyRoll = random.NextDouble();
                    var privacy = privacyRoll < 0.04 ? "CONFIDENTIAL" : privacyRoll < 0.19 ? "PUBLIC" : "INTERNAL";
                    var fromCache = random.NextDouble() < 0.25;
                    var cost = fromCache ? 0.0 : Math.Round(0.002 + (random.NextDouble() * random.NextDouble() * 0.09), 5);
                    random.NextBytes(id);

                    await importer.StartRowAsync(ct);
                    await importer.WriteAsync(new Guid(id), NpgsqlDbType.Uuid, ct);
                    await importer.WriteAsync(user, NpgsqlDbType.Uuid, ct);
                    await importer.WriteAsync(question, NpgsqlDbType.Text, ct);
                    await importer.WriteAsync(answer, NpgsqlDbType.Text, ct);
                    await importer.WriteAsync(fromCache ? "cache" : "fresh", NpgsqlDbType.Varchar, ct);
                    await importer.WriteAsync(Math.Round(0.6 + (random.NextDouble() * 0.39), 3), NpgsqlDbType.Double, ct);
                    await importer.WriteAsync(Math.Round(fromCache ? 20 + (random.NextDouble() * 40) : 400 + (random.NextDouble() * 2500), 1), NpgsqlDbType.Double, ct);
                    await importer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, ct);
                    await importer.WriteAsync(
                        string.Create(CultureInfo.InvariantCulture, $$"""{"est_cost_usd": {{cost}}, "privacy_level": "{{privacy}}", "model": "{{(cost > 0.05 ? "large" : "small")}}"}"""),
                        NpgsqlDbType.Jsonb, ct);
                    await importer.WriteAsync(fromCache, NpgsqlDbType.Boolean, ct);
                    written++;
                }
            }
        }

        await importer.CompleteAsync(ct);
        return written;
    }

    private static Template Pick(Template[] candidates, double[] weights, double total, Random random)
    {
        var roll = random.NextDouble() * total;
        for (var i = 0; i < candidates.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return candidates[i];
            }
        }

        return candidates[^1];
    }
}
