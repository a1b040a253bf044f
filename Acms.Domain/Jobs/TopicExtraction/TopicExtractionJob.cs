using Acms.Domain.Database;
using Acms.Domain.Insights;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Gives every <c>query_history</c> row without an extraction of the current extractor version one: oldest first by
/// <c>(created_at, query_id)</c> (rows with no created_at first, by id), in batches, each committed on its own, so a
/// killed run keeps its batches and the next run picks up the rest. Never re-extracts: the batch query skips rows that
/// have an extraction (NOT EXISTS) and the insert is <c>ON CONFLICT DO NOTHING</c>, so a concurrent or repeated batch
/// never duplicates. A batch is analysed in parallel; corpus document frequencies and the daily rollups are updated in
/// the same statement as the insert, from the rows it actually inserted.
/// </summary>
public sealed class TopicExtractionJob(
    NpgsqlDataSource dataSource,
    IOptionsSnapshot<TopicExtractionOptions> options,
    LlmTopicExtractor llm,
    TimeProvider time,
    ILogger<TopicExtractionJob> logger) : IJob
{
    private const string Pending = """
        NOT EXISTS (
            SELECT 1 FROM topic_extractions t
            WHERE t.source_type = 'query_history' AND t.source_id = q.query_id AND t.extractor_version = @Version)
        """;

    private const string Columns = $"""
        q.query_id AS QueryId, q.user_id AS UserId, q.query_text AS Question, q.response_text AS Answer,
        q.created_at AS CreatedAt, COALESCE(q.from_cache, false) AS FromCache,
        {QueryHistorySql.CostUsd} AS CostUsd, {QueryHistorySql.Privacy} AS Privacy
        """;

    private const string UndatedBatchSql = $"""
        SELECT {Columns}
        FROM query_history q
        WHERE q.created_at IS NULL AND q.query_id > @AfterId AND {Pending}
        ORDER BY q.query_id
        LIMIT @BatchSize
        """;

    private const string DatedBatchSql = $"""
        SELECT {Columns}
        FROM query_history q
        WHERE (q.created_at, q.query_id) > (@AfterAt, @AfterId) AND {Pending}
        ORDER BY q.created_at, q.query_id
        LIMIT @BatchSize
        """;

    private const string CountSql = $"SELECT count(*) FROM query_history q WHERE {Pending}";

    private const string StatsSql = """
        SELECT COALESCE((SELECT document_count FROM topic_corpus_stats WHERE extractor_version = @Version), 0);
        SELECT term, doc_count FROM topic_term_stats WHERE extractor_version = @Version AND term = ANY(@Terms);
        SELECT term, surface, doc_count FROM topic_term_surfaces WHERE extractor_version = @Version AND term = ANY(@Terms);
        """;

    private const string StagingSql = """
        CREATE TEMP TABLE te_rows (
            source_id uuid, user_id uuid, topics text[], primary_topic text, method text, confidence float8,
            source_created_at timestamptz, from_cache bool, cost_usd float8, privacy_level text) ON COMMIT DROP;
        CREATE TEMP TABLE te_terms (source_id uuid, term text, surface text) ON COMMIT DROP;
        """;

    // Everything below counts only the rows this statement inserted (RETURNING), so an overlapping batch adds nothing twice.
    private const string WriteSql = """
        WITH ins AS (
            INSERT INTO topic_extractions (source_type, source_id, user_id, topics, primary_topic, extraction_method,
                                           extractor_version, confidence, source_created_at, privacy_level, created_at)
            SELECT 'query_history', source_id, user_id, topics, primary_topic, method, @Version, confidence, source_created_at, privacy_level, @Now
            FROM te_rows
            ORDER BY source_id
            ON CONFLICT (source_type, source_id, extractor_version) DO NOTHING
            RETURNING source_id, user_id, topics, source_created_at, extraction_method, privacy_level IN ('PUBLIC', 'INTERNAL') AS shareable
        ),
        rows AS (
            SELECT i.*, r.from_cache, r.cost_usd, (i.source_created_at AT TIME ZONE 'UTC')::date AS day
            FROM ins i JOIN te_rows r USING (source_id)
        ),
        corpus AS (
            INSERT INTO topic_corpus_stats AS c (extractor_version, document_count)
            SELECT @Version, count(*) FROM rows WHERE extraction_method <> 'trivial'
            ON CONFLICT (extractor_version) DO UPDATE SET document_count = c.document_count + EXCLUDED.document_count
            RETURNING 1
        ),
        terms AS (
            INSERT INTO topic_term_stats AS s (extractor_version, term, doc_count)
            SELECT @Version, t.term, count(DISTINCT t.source_id)
            FROM te_terms t JOIN rows r ON r.source_id = t.source_id AND r.extraction_method <> 'trivial'
            GROUP BY t.term ORDER BY t.term
            ON CONFLICT (extractor_version, term) DO UPDATE SET doc_count = s.doc_count + EXCLUDED.doc_count
            RETURNING 1
        ),
        surfaces AS (
            INSERT INTO topic_term_surfaces AS s (extractor_version, term, surface, doc_count)
            SELECT @Version, t.term, t.surface, count(*)
            FROM te_terms t JOIN rows r ON r.source_id = t.source_id AND r.extraction_method <> 'trivial'
            GROUP BY t.term, t.surface ORDER BY t.term, t.surface
            ON CONFLICT (extractor_version, term, surface) DO UPDATE SET doc_count = s.doc_count + EXCLUDED.doc_count
            RETURNING 1
        ),
        topic_days AS (
            INSERT INTO topic_daily_stats AS d (extractor_version, day, user_id, topic, query_count)
            SELECT @Version, r.day, u.id, topic, count(*)
            FROM rows r CROSS JOIN LATERAL unnest(r.topics) AS topic
                 CROSS JOIN LATERAL unnest(CASE WHEN r.shareable THEN ARRAY[r.user_id, @Org] ELSE ARRAY[r.user_id] END) AS u(id)
            WHERE r.day IS NOT NULL
            GROUP BY u.id, r.day, topic ORDER BY u.id, r.day, topic
            ON CONFLICT (extractor_version, user_id, day, topic) DO UPDATE SET query_count = d.query_count + EXCLUDED.query_count
            RETURNING 1
        ),
        query_days AS (
            INSERT INTO query_daily_stats AS d (extractor_version, day, user_id, query_count, cache_hits, cost_sum_usd, cost_count, trivial_count)
            SELECT @Version, r.day, u.id, count(*), count(*) FILTER (WHERE r.from_cache), COALESCE(sum(r.cost_usd), 0),
                   count(r.cost_usd), count(*) FILTER (WHERE r.extraction_method = 'trivial')
            FROM rows r CROSS JOIN LATERAL unnest(ARRAY[r.user_id, @Org]) AS u(id)
            WHERE r.day IS NOT NULL
            GROUP BY u.id, r.day ORDER BY u.id, r.day
            ON CONFLICT (extractor_version, user_id, day) DO UPDATE SET
                query_count = d.query_count + EXCLUDED.query_count,
                cache_hits = d.cache_hits + EXCLUDED.cache_hits,
                cost_sum_usd = d.cost_sum_usd + EXCLUDED.cost_sum_usd,
                cost_count = d.cost_count + EXCLUDED.cost_count,
                trivial_count = d.trivial_count + EXCLUDED.trivial_count
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM ins) AS Inserted,
               (SELECT count(*) FROM ins WHERE extraction_method = 'trivial') AS Trivial,
               (SELECT count(*) FROM ins WHERE extraction_method = 'llm') AS Llm,
               (SELECT count(*) FROM corpus) + (SELECT count(*) FROM terms) + (SELECT count(*) FROM surfaces)
                 + (SELECT count(*) FROM topic_days) + (SELECT count(*) FROM query_days) AS StatRows
        """;

    internal sealed record SourceRow(
        Guid QueryId, Guid UserId, string Question, string? Answer, DateTime? CreatedAt, bool FromCache, double? CostUsd, string Privacy);

    private sealed record Extracted(SourceRow Row, AnalyzedQa Analysis, TopicResult Result);

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var version = o.ExtractorVersion;
        context.Details["extractor_version"] = version;

        if (context.DryRun)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, new { Version = version }, cancellationToken: cancellationToken));
            context.AddAffected(pending);
            context.Details["would_extract"] = pending;
            return;
        }

        var budget = new LlmBudget(o.LlmMaxCallsPerRun, o.LlmMaxCostUsdPerRun);
        var useLlm = o.LlmEnabled && llm.IsAvailable;
        long inserted = 0, trivial = 0, llmRows = 0;
        var batches = 0;
        var readWatch = new System.Diagnostics.Stopwatch();
        var extractWatch = new System.Diagnostics.Stopwatch();
        var writeWatch = new System.Diagnostics.Stopwatch();

        foreach (var dated in new[] { false, true })
        {
            var afterAt = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
            var afterId = Guid.Empty;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                readWatch.Start();
                var rows = await Transient.RetryAsync(async ct =>
                {
                    await using var connection = await dataSource.OpenConnectionAsync(ct);
                    return (await connection.QueryAsync<SourceRow>(new CommandDefinition(
                        dated ? DatedBatchSql : UndatedBatchSql,
                        new { Version = version, AfterAt = afterAt, AfterId = afterId, o.BatchSize },
                        cancellationToken: ct))).AsList();
                }, time, logger, cancellationToken);

                readWatch.Stop();
                if (rows.Count == 0)
                {
                    break;
                }

                extractWatch.Start();
                var extracted = await ExtractAsync(rows, o, useLlm, budget, cancellationToken);
                extractWatch.Stop();
                writeWatch.Start();
                var written = await Transient.RetryAsync(ct => WriteAsync(extracted, version, context.Now, ct), time, logger, cancellationToken);
                writeWatch.Stop();

                batches++;
                inserted += written.Inserted;
                trivial += written.Trivial;
                llmRows += written.Llm;
                context.AddInput(rows.Count);
                context.AddOutput(written.Inserted);
                context.AddAffected(written.Inserted);
                (afterAt, afterId) = (rows[^1].CreatedAt ?? afterAt, rows[^1].QueryId);
                logger.LogDebug("Topic extraction batch {Batch}: {Rows} rows read, {Inserted} extracted ({Trivial} trivial)",
                    batches, rows.Count, written.Inserted, written.Trivial);
            }
        }

        context.Details["batches"] = batches;
        context.Details["read_ms"] = readWatch.ElapsedMilliseconds;
        context.Details["extract_ms"] = extractWatch.ElapsedMilliseconds;
        context.Details["write_ms"] = writeWatch.ElapsedMilliseconds;
        context.Details["extracted"] = inserted;
        context.Details["trivial"] = trivial;
        context.Details["llm_extracted"] = llmRows;
        context.Details["llm_calls"] = budget.Calls;
        context.Details["llm_cost_usd"] = Math.Round(budget.SpentUsd, 6);
        context.Details["llm_failures"] = budget.Failures;
    }

    private async Task<Extracted[]> ExtractAsync(
        List<SourceRow> rows, TopicExtractionOptions o, bool useLlm, LlmBudget budget, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = o.MaxDegreeOfParallelism > 0 ? o.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };

        var analyses = new AnalyzedQa[rows.Count];
        Parallel.For(0, rows.Count, parallel, i => analyses[i] = TopicText.Analyze(rows[i].Question ?? "", rows[i].Answer));

        var corpus = new CorpusStatistics();
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var analysis in analyses)
        {
            if (analysis.QuestionContentWords > 0)
            {
                corpus.AddDocument(analysis);
                foreach (var token in analysis.Tokens)
                {
                    stems.Add(token.Stem);
                }
            }
        }

        await Transient.RetryAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
                StatsSql, new { Version = o.ExtractorVersion, Terms = stems.ToArray() }, cancellationToken: ct));
            var documents = await grid.ReadSingleAsync<long>();
            var df = (await grid.ReadAsync<(string, long)>()).AsList();
            var surfaces = (await grid.ReadAsync<(string, string, long)>()).AsList();
            corpus.AddCounts(documents, df, surfaces);
            return true;
        }, time, logger, cancellationToken);

        var results = new TopicResult[rows.Count];
        Parallel.For(0, rows.Count, parallel, i => results[i] = KeyphraseExtractor.Extract(analyses[i], corpus, o.MaxTopics));

        if (useLlm)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                if (results[i].Method == TopicResult.TrivialMethod || budget.Calls >= budget.MaxCalls)
                {
                    continue;
                }

                if (await llm.TryExtractAsync(rows[i].Question, rows[i].Answer, rows[i].Privacy, budget, o, cancellationToken) is { } fromLlm)
                {
                    results[i] = fromLlm with { Topics = [.. fromLlm.Topics.Take(o.MaxTopics)] };
                }
            }
        }

        var extracted = new Extracted[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            extracted[i] = new Extracted(rows[i], analyses[i], results[i]);
        }

        return extracted;
    }

    private async Task<(long Inserted, long Trivial, long Llm)> WriteAsync(Extracted[] batch, string version, DateTime now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(StagingSql, transaction: tx, cancellationToken: ct));

        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY te_rows (source_id, user_id, topics, primary_topic, method, confidence, source_created_at, from_cache, cost_usd, privacy_level) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var e in batch)
            {
                await rows.StartRowAsync(ct);
                await rows.WriteAsync(e.Row.QueryId, NpgsqlDbType.Uuid, ct);
                await rows.WriteAsync(e.Row.UserId, NpgsqlDbType.Uuid, ct);
                await rows.WriteAsync(e.Result.Topics.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await WriteNullableAsync(rows, e.Result.PrimaryTopic, NpgsqlDbType.Text, ct);
                await rows.WriteAsync(e.Result.Method, NpgsqlDbType.Text, ct);
                await rows.WriteAsync(e.Result.Confidence, NpgsqlDbType.Double, ct);
                if (e.Row.CreatedAt is { } createdAt)
                {
                    await rows.WriteAsync(DateTime.SpecifyKind(createdAt, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, ct);
                }
                else
                {
                    await rows.WriteNullAsync(ct);
                }

                await rows.WriteAsync(e.Row.FromCache, NpgsqlDbType.Boolean, ct);
                if (e.Row.CostUsd is { } cost)
                {
                    await rows.WriteAsync(cost, NpgsqlDbType.Double, ct);
                }
                else
                {
                    await rows.WriteNullAsync(ct);
                }

                await rows.WriteAsync(e.Row.Privacy, NpgsqlDbType.Text, ct);
            }

            await rows.CompleteAsync(ct);
        }

        await using (var terms = await connection.BeginBinaryImportAsync("COPY te_terms (source_id, term, surface) FROM STDIN (FORMAT BINARY)", ct))
        {
            var seen = new HashSet<(string, string)>();
            foreach (var e in batch)
            {
                if (e.Analysis.QuestionContentWords == 0)
                {
                    continue;
                }

                seen.Clear();
                foreach (var token in e.Analysis.Tokens)
                {
                    if (seen.Add((token.Stem, token.Surface)))
                    {
                        await terms.StartRowAsync(ct);
                        await terms.WriteAsync(e.Row.QueryId, NpgsqlDbType.Uuid, ct);
                        await terms.WriteAsync(token.Stem, NpgsqlDbType.Text, ct);
                        await terms.WriteAsync(token.Surface, NpgsqlDbType.Text, ct);
                    }
                }
            }

            await terms.CompleteAsync(ct);
        }

        var result = await connection.QuerySingleAsync<(long Inserted, long Trivial, long Llm, long StatRows)>(new CommandDefinition(
            WriteSql, new { Version = version, Now = now, Org = QueryHistorySql.Org }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (result.Inserted, result.Trivial, result.Llm);
    }

    private static ValueTask WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? new ValueTask(importer.WriteNullAsync(ct)) : new ValueTask(importer.WriteAsync(value, type, ct));
}
