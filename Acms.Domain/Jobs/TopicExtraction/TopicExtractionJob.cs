using System.Runtime.InteropServices;
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
/// killed run keeps its batches and the next run picks up the rest. Never re-extracts: every candidate row is probed
/// against the unique key of <c>topic_extractions</c> (an index lookup per row) and the insert is
/// <c>ON CONFLICT DO NOTHING</c>, so a concurrent or repeated batch never duplicates.
/// <para>
/// A watermark per extractor version (<c>topic_extraction_watermarks</c>) records the key up to which every row has been
/// examined; it advances in the transaction of each batch. A run walks from the watermark minus
/// <see cref="TopicExtractionOptions.LateArrivalWindow"/>, so rows that arrive slightly late are picked up by the next
/// run, and once per <see cref="TopicExtractionOptions.FullSweepInterval"/> (and whenever there is no watermark) it walks
/// the whole table instead, so a row that arrives with a much older created_at is picked up within a day.
/// </para>
/// A batch is analysed in parallel; corpus document frequencies and the daily rollups are updated in the same
/// transaction as the insert, from the rows it actually inserted.
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

    // The candidate rows of a batch are taken by key alone (an index range scan with LIMIT), then each is probed
    // against the unique key of topic_extractions by a LATERAL lookup: the plan cannot turn into a walk of every
    // extraction, whatever the table statistics say. Rows already extracted come back with their text left out.
    private const string Columns = $"""
        q.query_id AS QueryId, q.user_id AS UserId,
        CASE WHEN e.done IS NULL THEN q.query_text END AS Question,
        CASE WHEN e.done IS NULL THEN q.response_text END AS Answer,
        q.created_at AS CreatedAt, COALESCE(q.from_cache, false) AS FromCache,
        CASE WHEN e.done IS NULL THEN {QueryHistorySql.CostUsd} END AS CostUsd,
        CASE WHEN e.done IS NULL THEN {QueryHistorySql.Privacy} ELSE '' END AS Privacy,
        e.done IS NOT NULL AS Done
        """;

    private const string Probe = """
        LEFT JOIN LATERAL (
            SELECT true AS done FROM topic_extractions t
            WHERE t.source_type = 'query_history' AND t.source_id = q.query_id AND t.extractor_version = @Version
            LIMIT 1) e ON true
        """;

    private const string UndatedBatchSql = $"""
        SELECT {Columns}
        FROM (SELECT * FROM query_history q
              WHERE q.created_at IS NULL AND q.query_id > @AfterId
              ORDER BY q.query_id
              LIMIT @BatchSize) q
        {Probe}
        ORDER BY q.query_id
        """;

    private const string DatedBatchSql = $"""
        SELECT {Columns}
        FROM (SELECT * FROM query_history q
              WHERE (q.created_at, q.query_id) > (@AfterAt, @AfterId)
              ORDER BY q.created_at, q.query_id
              LIMIT @BatchSize) q
        {Probe}
        ORDER BY q.created_at, q.query_id
        """;

    private const string CountSql = $"SELECT count(*) FROM query_history q WHERE {Pending}";

    private const string WatermarkSql = """
        SELECT created_at AS CreatedAt, query_id AS QueryId, last_full_sweep_at AS LastFullSweepAt
        FROM topic_extraction_watermarks WHERE extractor_version = @Version
        """;

    // Only ever moves forward, so an overlapping run or a sweep behind the watermark never moves it back.
    private const string AdvanceSql = """
        INSERT INTO topic_extraction_watermarks AS w (extractor_version, created_at, query_id, updated_at)
        VALUES (@Version, @At, @Id, @Now)
        ON CONFLICT (extractor_version) DO UPDATE SET created_at = EXCLUDED.created_at, query_id = EXCLUDED.query_id, updated_at = EXCLUDED.updated_at
        WHERE (w.created_at, w.query_id) < (EXCLUDED.created_at, EXCLUDED.query_id)
        """;

    private const string SweptSql = """
        UPDATE topic_extraction_watermarks SET last_full_sweep_at = @Now, updated_at = @Now WHERE extractor_version = @Version
        """;

    private const string StatsSql = """
        SELECT COALESCE((SELECT document_count FROM topic_corpus_stats WHERE extractor_version = @Version), 0);
        SELECT term, doc_count FROM topic_term_stats WHERE extractor_version = @Version AND term = ANY(@Terms);
        SELECT term, surface, doc_count FROM topic_term_surfaces WHERE extractor_version = @Version AND term = ANY(@Terms);
        """;

    private const string StagingSql = """
        CREATE TEMP TABLE te_rows (
            source_id uuid, user_id uuid, topics text[], primary_topic text, method text, confidence float8,
            source_created_at timestamptz, from_cache bool, cost_usd float8, privacy_level text) ON COMMIT DROP
        """;

    private const string InsertSql = """
        INSERT INTO topic_extractions (source_type, source_id, user_id, topics, primary_topic, extraction_method,
                                       extractor_version, confidence, source_created_at, privacy_level, created_at)
        SELECT 'query_history', source_id, user_id, topics, primary_topic, method, @Version, confidence, source_created_at, privacy_level, @Now
        FROM te_rows
        ORDER BY source_id
        ON CONFLICT (source_type, source_id, extractor_version) DO NOTHING
        RETURNING source_id
        """;

    // When another run inserted some of the batch first, the rollups below must count only this run's rows.
    private const string KeepInsertedSql = """
        DELETE FROM te_rows r WHERE NOT EXISTS (SELECT 1 FROM unnest(@Inserted) AS i(id) WHERE i.id = r.source_id)
        """;

    // Term statistics arrive aggregated (counted in the job over the inserted rows); the daily rollups are counted here.
    private const string StatisticsSql = """
        WITH corpus AS (
            INSERT INTO topic_corpus_stats AS c (extractor_version, document_count)
            VALUES (@Version, @Documents)
            ON CONFLICT (extractor_version) DO UPDATE SET document_count = c.document_count + EXCLUDED.document_count
            RETURNING 1
        ),
        terms AS (
            INSERT INTO topic_term_stats AS s (extractor_version, term, doc_count)
            SELECT @Version, t.term, t.n FROM unnest(@Terms, @TermCounts) AS t(term, n)
            ON CONFLICT (extractor_version, term) DO UPDATE SET doc_count = s.doc_count + EXCLUDED.doc_count
            RETURNING 1
        ),
        surfaces AS (
            INSERT INTO topic_term_surfaces AS s (extractor_version, term, surface, doc_count)
            SELECT @Version, t.term, t.surface, t.n FROM unnest(@SurfaceTerms, @Surfaces, @SurfaceCounts) AS t(term, surface, n)
            ON CONFLICT (extractor_version, term, surface) DO UPDATE SET doc_count = s.doc_count + EXCLUDED.doc_count
            RETURNING 1
        ),
        rows AS (
            SELECT r.source_id, r.user_id, r.topics, r.method AS extraction_method, r.from_cache, r.cost_usd,
                   r.privacy_level IN ('PUBLIC', 'INTERNAL') AS shareable, (r.source_created_at AT TIME ZONE 'UTC')::date AS day
            FROM te_rows r
            WHERE r.source_created_at IS NOT NULL
        ),
        topic_days AS (
            INSERT INTO topic_daily_stats AS d (extractor_version, day, user_id, topic, query_count)
            SELECT @Version, r.day, u.id, topic, count(*)
            FROM rows r CROSS JOIN LATERAL unnest(r.topics) AS topic
                 CROSS JOIN LATERAL unnest(CASE WHEN r.shareable THEN ARRAY[r.user_id, @Org] ELSE ARRAY[r.user_id] END) AS u(id)
            GROUP BY u.id, r.day, topic ORDER BY u.id, r.day, topic
            ON CONFLICT (extractor_version, user_id, day, topic) DO UPDATE SET query_count = d.query_count + EXCLUDED.query_count
            RETURNING 1
        ),
        query_days AS (
            INSERT INTO query_daily_stats AS d (extractor_version, day, user_id, query_count, cache_hits, cost_sum_usd, cost_count, trivial_count)
            SELECT @Version, r.day, u.id, count(*), count(*) FILTER (WHERE r.from_cache), COALESCE(sum(r.cost_usd), 0),
                   count(r.cost_usd), count(*) FILTER (WHERE r.extraction_method = 'trivial')
            FROM rows r CROSS JOIN LATERAL unnest(ARRAY[r.user_id, @Org]) AS u(id)
            GROUP BY u.id, r.day ORDER BY u.id, r.day
            ON CONFLICT (extractor_version, user_id, day) DO UPDATE SET
                query_count = d.query_count + EXCLUDED.query_count,
                cache_hits = d.cache_hits + EXCLUDED.cache_hits,
                cost_sum_usd = d.cost_sum_usd + EXCLUDED.cost_sum_usd,
                cost_count = d.cost_count + EXCLUDED.cost_count,
                trivial_count = d.trivial_count + EXCLUDED.trivial_count
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM corpus) + (SELECT count(*) FROM terms) + (SELECT count(*) FROM surfaces)
                 + (SELECT count(*) FROM topic_days) + (SELECT count(*) FROM query_days) AS StatRows
        """;

    internal sealed record SourceRow(
        Guid QueryId, Guid UserId, string? Question, string? Answer, DateTime? CreatedAt, bool FromCache, double? CostUsd, string Privacy, bool Done);

    private sealed record Watermark(DateTime CreatedAt, Guid QueryId, DateTime? LastFullSweepAt);

    private sealed record Extracted(SourceRow Row, AnalyzedQa Analysis, TopicResult Result);

    private static readonly DateTime Beginning = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

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

        var watermark = await Transient.RetryAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await connection.QuerySingleOrDefaultAsync<Watermark>(new CommandDefinition(WatermarkSql, new { Version = version }, cancellationToken: ct));
        }, time, logger, cancellationToken);

        var now = DateTime.SpecifyKind(context.Now, DateTimeKind.Utc);
        var fullSweep = watermark?.LastFullSweepAt is not { } swept || now - DateTime.SpecifyKind(swept, DateTimeKind.Utc) >= o.FullSweepInterval;
        var window = o.LateArrivalWindow > TimeSpan.Zero ? o.LateArrivalWindow : TimeSpan.Zero;
        var datedStart = Beginning;
        if (!fullSweep && watermark is not null)
        {
            var at = DateTime.SpecifyKind(watermark.CreatedAt, DateTimeKind.Utc);
            datedStart = at - Beginning > window ? at - window : Beginning;
        }

        context.Details["full_sweep"] = fullSweep;
        context.Details["walk_from"] = datedStart == Beginning ? "beginning" : datedStart.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var budget = new LlmBudget(o.LlmMaxCallsPerRun, o.LlmMaxCostUsdPerRun);
        var useLlm = o.LlmEnabled && llm.IsAvailable;
        long inserted = 0, trivial = 0, llmRows = 0, examined = 0;
        var batches = 0;
        long readTicks = 0, extractTicks = 0, writeTicks = 0;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = o.MaxDegreeOfParallelism > 0 ? o.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };

        // Reads and tokenizes the next batch; runs while the previous batch is scored and written. Tokenizing does not
        // depend on corpus statistics, so overlapping it changes nothing in the output: scoring still waits for the
        // previous batch's commit and reads the statistics it left.
        Task<(List<SourceRow> Candidates, List<SourceRow> Rows, AnalyzedQa[] Analyses, CorpusStatistics Corpus, string[] Stems)> ReadAheadAsync(bool dated, DateTime afterAt, Guid afterId) => Task.Run(async () =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var candidates = await Transient.RetryAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return (await connection.QueryAsync<SourceRow>(new CommandDefinition(
                    dated ? DatedBatchSql : UndatedBatchSql,
                    new { Version = version, AfterAt = afterAt, AfterId = afterId, o.BatchSize },
                    cancellationToken: ct))).AsList();
            }, time, logger, cancellationToken);
            var read = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Add(ref readTicks, read - started);

            var rows = candidates.FindAll(r => !r.Done);
            var analyses = new AnalyzedQa[rows.Count];
            Parallel.For(0, rows.Count, parallel, i => analyses[i] = TopicText.Analyze(rows[i].Question ?? "", rows[i].Answer));
            var (corpus, stems) = CountBatch(analyses);
            Interlocked.Add(ref extractTicks, System.Diagnostics.Stopwatch.GetTimestamp() - read);
            return (candidates, rows, analyses, corpus, stems);
        }, cancellationToken);

        foreach (var dated in new[] { false, true })
        {
            var next = ReadAheadAsync(dated, dated ? datedStart : Beginning, Guid.Empty);
            try
            {
                while (true)
                {
                    var (candidates, rows, analyses, corpus, stems) = await next;
                    if (candidates.Count == 0)
                    {
                        break;
                    }

                    var last = candidates[^1];
                    next = ReadAheadAsync(dated, last.CreatedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : Beginning, last.QueryId);
                    examined += candidates.Count;

                    // Only a dated walk moves the watermark: it has examined every row up to its last candidate. Never past the
                    // run's start, so one row dated in the future does not push rows that arrive later out of the window.
                    (DateTime At, Guid Id)? advanceTo = null;
                    if (dated && last.CreatedAt is { } lastAt)
                    {
                        var lastUtc = DateTime.SpecifyKind(lastAt, DateTimeKind.Utc);
                        advanceTo = lastUtc <= now ? (lastUtc, last.QueryId) : (now, Guid.Empty);
                    }

                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    if (rows.Count == 0)
                    {
                        if (advanceTo is { } to)
                        {
                            await Transient.RetryAsync(async ct =>
                            {
                                await using var connection = await dataSource.OpenConnectionAsync(ct);
                                return await connection.ExecuteAsync(new CommandDefinition(
                                    AdvanceSql, new { Version = version, At = to.At, Id = to.Id, Now = now }, cancellationToken: ct));
                            }, time, logger, cancellationToken);
                        }

                        writeTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
                        continue;
                    }

                    var extracted = await ScoreAsync(rows, analyses, corpus, stems, o, useLlm, budget, parallel, cancellationToken);
                    var scored = System.Diagnostics.Stopwatch.GetTimestamp();
                    Interlocked.Add(ref extractTicks, scored - started);
                    var written = await Transient.RetryAsync(ct => WriteAsync(extracted, version, now, advanceTo, ct), time, logger, cancellationToken);
                    writeTicks += System.Diagnostics.Stopwatch.GetTimestamp() - scored;

                    batches++;
                    inserted += written.Inserted;
                    trivial += written.Trivial;
                    llmRows += written.Llm;
                    context.AddInput(rows.Count);
                    context.AddOutput(written.Inserted);
                    context.CommitBatch(written.Inserted);
                    logger.LogDebug("Topic extraction batch {Batch}: {Rows} rows read, {Inserted} extracted ({Trivial} trivial)",
                        batches, rows.Count, written.Inserted, written.Trivial);
                }
            }
            catch
            {
                // The read-ahead may still be running (or have failed); let it finish before the run reports its failure.
                try
                {
                    await next;
                }
                catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or TimeoutException)
                {
                    logger.LogDebug(ex, "Topic extraction read-ahead ended with the run");
                }

                throw;
            }
        }

        if (fullSweep)
        {
            await Transient.RetryAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return await connection.ExecuteAsync(new CommandDefinition(SweptSql, new { Version = version, Now = now }, cancellationToken: ct));
            }, time, logger, cancellationToken);
        }

        context.Details["batches"] = batches;
        context.Details["examined"] = examined;
        // Busy time per phase; reading and tokenizing the next batch overlap scoring and writing the current one.
        context.Details["read_ms"] = (long)System.Diagnostics.Stopwatch.GetElapsedTime(0, readTicks).TotalMilliseconds;
        context.Details["extract_ms"] = (long)System.Diagnostics.Stopwatch.GetElapsedTime(0, extractTicks).TotalMilliseconds;
        context.Details["write_ms"] = (long)System.Diagnostics.Stopwatch.GetElapsedTime(0, writeTicks).TotalMilliseconds;
        context.Details["extracted"] = inserted;
        context.Details["trivial"] = trivial;
        context.Details["llm_extracted"] = llmRows;
        context.Details["llm_calls"] = budget.Calls;
        context.Details["llm_cost_usd"] = Math.Round(budget.SpentUsd, 6);
        context.Details["llm_failures"] = budget.Failures;
    }

    /// <summary>The batch's own document frequencies (before the corpus figures in the database are added) and its stems.</summary>
    private static (CorpusStatistics Corpus, string[] Stems) CountBatch(AnalyzedQa[] analyses)
    {
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

        return (corpus, stems.ToArray());
    }

    private async Task<Extracted[]> ScoreAsync(
        List<SourceRow> rows, AnalyzedQa[] analyses, CorpusStatistics corpus, string[] stems, TopicExtractionOptions o, bool useLlm, LlmBudget budget, ParallelOptions parallel,
        CancellationToken cancellationToken)
    {
        await Transient.RetryAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
                StatsSql, new { Version = o.ExtractorVersion, Terms = stems }, cancellationToken: ct));
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

                if (await llm.TryExtractAsync(rows[i].Question ?? "", rows[i].Answer, rows[i].Privacy, budget, o, cancellationToken) is { } fromLlm)
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

    private async Task<(long Inserted, long Trivial, long Llm)> WriteAsync(
        Extracted[] batch, string version, DateTime now, (DateTime At, Guid Id)? advanceTo, CancellationToken ct)
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
                await rows.WriteAsync(e.Result.Topics as string[] ?? [.. e.Result.Topics], NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
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

        var insertedIds = (await connection.QueryAsync<Guid>(new CommandDefinition(
            InsertSql, new { Version = version, Now = now }, tx, cancellationToken: ct))).AsList();
        var inserted = batch;
        if (insertedIds.Count < batch.Length)
        {
            var ids = insertedIds.ToHashSet();
            inserted = Array.FindAll(batch, e => ids.Contains(e.Row.QueryId));
            await connection.ExecuteAsync(new CommandDefinition(KeepInsertedSql, new { Inserted = insertedIds.ToArray() }, tx, cancellationToken: ct));
        }

        // Document frequencies of the inserted rows that got topics: each distinct stem, and each distinct (stem, surface), once per row.
        var documents = 0L;
        var termCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var surfaceCounts = new Dictionary<(string Term, string Surface), long>();
        var seenTerms = new HashSet<string>(StringComparer.Ordinal);
        var seenSurfaces = new HashSet<(string, string)>();
        long trivial = 0, llmRows = 0;
        foreach (var e in inserted)
        {
            if (e.Result.Method == TopicResult.TrivialMethod)
            {
                trivial++;
                continue;
            }

            llmRows += e.Result.Method == TopicResult.Llm ? 1 : 0;
            documents++;
            if (e.Analysis.QuestionContentWords == 0)
            {
                continue;
            }

            seenTerms.Clear();
            seenSurfaces.Clear();
            foreach (var token in e.Analysis.Tokens)
            {
                if (seenTerms.Add(token.Stem))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(termCounts, token.Stem, out _)++;
                }

                if (seenSurfaces.Add((token.Stem, token.Surface)))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(surfaceCounts, (token.Stem, token.Surface), out _)++;
                }
            }
        }

        // Upserted in a fixed order, so two overlapping runs take the row locks in the same order.
        var terms = termCounts.Keys.Order(StringComparer.Ordinal).ToArray();
        var surfaces = surfaceCounts.Keys.OrderBy(k => k.Term, StringComparer.Ordinal).ThenBy(k => k.Surface, StringComparer.Ordinal).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(StatisticsSql, new
        {
            Version = version,
            Org = QueryHistorySql.Org,
            Documents = documents,
            Terms = terms,
            TermCounts = Array.ConvertAll(terms, t => termCounts[t]),
            SurfaceTerms = Array.ConvertAll(surfaces, s => s.Term),
            Surfaces = Array.ConvertAll(surfaces, s => s.Surface),
            SurfaceCounts = Array.ConvertAll(surfaces, s => surfaceCounts[s]),
        }, tx, cancellationToken: ct));

        if (advanceTo is { } to)
        {
            await connection.ExecuteAsync(new CommandDefinition(AdvanceSql, new { Version = version, At = to.At, Id = to.Id, Now = now }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return (inserted.Length, trivial, llmRows);
    }

    private static ValueTask WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? new ValueTask(importer.WriteNullAsync(ct)) : new ValueTask(importer.WriteAsync(value, type, ct));
}
