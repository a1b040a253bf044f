using Acms.Domain.Privacy;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Gives every <c>query_history</c> row without an extraction of the current extractor version one: oldest first by
/// <c>(created_at, query_id)</c> (rows with no created_at first, by id), in batches, each committed on its own, so a
/// killed run keeps its batches and the next run picks up the rest. Never re-extracts: every candidate row is probed
/// against the unique key of <c>topic_extractions</c> (an index lookup per row) and the insert is
/// <c>ON CONFLICT DO NOTHING</c>, so a concurrent or repeated batch never duplicates.
/// <para>
/// Which rows a run walks, and how far the watermark moves, is the <see cref="TopicWalkPlan"/>. At <c>Pace</c> 0 a run
/// reads ahead: the next batches (<c>ReadAhead</c>, <see cref="TopicBatchReader"/>) are read and tokenized while the
/// current one is scored and written (<see cref="TopicExtractionWriter"/>); beside live traffic (<c>Pace</c> above 0) each batch is read, scored and written
/// in turn, and the rest after it counts all three.
/// Corpus document frequencies and the daily rollups are updated in the same transaction as the insert, from the rows
/// it actually inserted. Every read goes through <see cref="JobBatches.ReadAsync{T}"/>, every write through
/// <see cref="JobBatches.ApplyAsync{T}"/>: a batch's extractions and its watermark advance commit together, in a
/// transaction that first renews the run's lease.
/// </para>
/// </summary>
public sealed class TopicExtractionJob(
    JobBatches batches,
    IOptionsSnapshot<TopicExtractionOptions> options,
    LlmTopicExtractor llm,
    IOptions<PrivacyOptions> privacy,
    ILogger<TopicExtractionJob> logger) : IJob
{
    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var version = o.ExtractorVersion;
        context.Details["extractor_version"] = version;

        if (context.DryRun)
        {
            var pending = await batches.ReadAsync((connection, ct) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                TopicExtractionSql.CountSql, new { Version = version }, cancellationToken: ct)), cancellationToken);
            context.AddAffected(pending);
            context.Details["would_extract"] = pending;
            return;
        }

        var watermark = await batches.ReadAsync((connection, ct) => connection.QuerySingleOrDefaultAsync<TopicExtractionWatermark>(new CommandDefinition(
            TopicExtractionSql.WatermarkSql, new { Version = version }, cancellationToken: ct)), cancellationToken);

        // Vocabulary rows are not Q&A rows processed: the batch counts no affected rows.
        await batches.ApplyAsync(context, (connection, tx, ct) =>
            TopicExtractionWriter.SeedVocabularyAsync(connection, tx, version, TopicLexicon.Default, ct), _ => 0, cancellationToken);

        var plan = TopicWalkPlan.Create(watermark, context.Now, o.LateArrivalWindow, o.FullSweepInterval);
        var now = plan.Now;
        context.Details["full_sweep"] = plan.FullSweep;
        context.Details["walk_from"] = plan.WalkFrom;

        var budget = new LlmBudget(o.LlmMaxCallsPerRun, o.LlmMaxCostUsdPerRun);
        var useLlm = o.LlmEnabled && llm.IsAvailable;
        long inserted = 0, trivial = 0, llmRows = 0, examined = 0;
        var extractionBatches = 0;
        PhaseTimer reading = new(), extracting = new(), writing = new();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = o.MaxDegreeOfParallelism > 0 ? o.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };

        // Reads and tokenizes a batch: the range after a key up to a bound, or (no bound) the next BatchSize rows. Runs
        // while the batch before is scored and written. Tokenizing does not depend on corpus statistics, so overlapping it
        // changes nothing in the output: scoring still waits for the previous batch's commit and reads the statistics it left.
        var shareUnknown = privacy.Value.ShareAnswersOfUnknownProvenance;
        var rangeLimit = 2 * o.BatchSize;
        Task<TopicReadBatch> ReadAsync(bool dated, (DateTime AfterAt, Guid AfterId) after, (DateTime UpToAt, Guid UpToId)? upTo) => Task.Run(async () =>
        {
            var started = batches.Timestamp();
            var sql = (dated, upTo is null) switch
            {
                (true, true) => TopicExtractionSql.DatedBatchSql,
                (true, false) => TopicExtractionSql.DatedRangeSql,
                (false, true) => TopicExtractionSql.UndatedBatchSql,
                (false, false) => TopicExtractionSql.UndatedRangeSql,
            };
            var (upToAt, upToId) = upTo ?? default;
            List<TopicSourceRow> candidates;
            using (reading.Start())
            {
                candidates = await batches.ReadAsync(async (connection, ct) => (await connection.QueryAsync<TopicSourceRow>(new CommandDefinition(
                    sql,
                    new { Version = version, after.AfterAt, after.AfterId, UpToAt = upToAt, UpToId = upToId, o.BatchSize, RangeLimit = rangeLimit, ShareUnknownAnswers = shareUnknown },
                    cancellationToken: ct))).AsList(), cancellationToken);
            }

            using (extracting.Start())
            {
                var rows = candidates.FindAll(r => !r.Done);
                var analyses = new AnalyzedQa[rows.Count];
                await ForEachRowAsync(rows.Count, parallel, i => analyses[i] = TopicText.Analyze(rows[i].Question ?? "", rows[i].Answer));
                var (corpus, stems) = CountBatch(analyses);
                // A range that filled its cap may have been cut short: the walk goes on after its last row instead of its bound.
                return new TopicReadBatch(candidates, rows, analyses, corpus, stems, started, upTo is not null && candidates.Count < rangeLimit);
            }
        }, cancellationToken);

        async Task<(DateTime UpToAt, Guid UpToId)?> BoundAsync(bool dated, (DateTime AfterAt, Guid AfterId) after, CancellationToken ct)
        {
            using (reading.Start())
            {
                var bound = await batches.ReadAsync(async (connection, token) => (await connection.QueryAsync<(DateTime? CreatedAt, Guid QueryId)>(new CommandDefinition(
                    dated ? TopicExtractionSql.DatedBoundSql : TopicExtractionSql.UndatedBoundSql,
                    new { after.AfterAt, after.AfterId, Skip = o.BatchSize - 1 },
                    cancellationToken: token))).AsList(), ct);
                return bound.Count == 0 ? null : TopicWalkPlan.Key(bound[0].CreatedAt, bound[0].QueryId);
            }
        }

        // Beside live traffic (Pace > 0) a batch is read, analysed and written before the next is read, and the rest after
        // it is Pace times all of that: reading ahead during the rest would put the batch read's privacy query and the
        // analysis threads beside the ACMS API's writes, unpaced. At Pace 0 up to ReadAhead batches are read while this
        // one is written.
        var readAhead = context.Pace <= 0;
        foreach (var (dated, start) in plan.Walks)
        {
            var reader = new TopicBatchReader(readAhead ? o.ReadAhead : 0, (start, Guid.Empty),
                (after, ct) => BoundAsync(dated, after, ct), (after, upTo) => ReadAsync(dated, after, upTo));
            try
            {
                while (await reader.NextAsync(cancellationToken) is { } batch)
                {
                    var last = batch.Candidates[^1];
                    examined += batch.Candidates.Count;
                    var advanceTo = plan.AdvanceTo(dated, last);

                    if (batch.Rows.Count == 0)
                    {
                        if (advanceTo is { } to)
                        {
                            using (writing.Start())
                            {
                                await batches.ApplyAsync(context, (connection, tx, ct) =>
                                    TopicExtractionWriter.AdvanceAsync(connection, tx, version, now, to, ct), _ => 0, cancellationToken, batch.Started);
                            }
                        }
                    }
                    else
                    {
                        ExtractedRow[] extracted;
                        long llmWait;
                        using (extracting.Start())
                        {
                            (extracted, llmWait) = await ScoreAsync(batch, o, useLlm, budget, parallel, cancellationToken);
                        }

                        // Beside live traffic the rest is Pace times the batch's work on this machine and the database;
                        // the time spent waiting on the LLM is neither, so the work is counted from that much later.
                        TopicExtractionWriter.Written written;
                        using (writing.Start())
                        {
                            written = await batches.ApplyAsync(context, (connection, tx, ct) =>
                                TopicExtractionWriter.WriteAsync(connection, tx, extracted, version, now, advanceTo, ct), w => w.Inserted, cancellationToken, batch.Started + llmWait);
                        }

                        extractionBatches++;
                        inserted += written.Inserted;
                        trivial += written.Trivial;
                        llmRows += written.Llm;
                        context.AddInput(batch.Rows.Count);
                        context.AddOutput(written.Inserted);
                        logger.LogDebug("Topic extraction batch {Batch}: {Rows} rows read, {Inserted} extracted ({Trivial} trivial)",
                            extractionBatches, batch.Rows.Count, written.Inserted, written.Trivial);
                    }
                }
            }
            catch
            {
                // Reads ahead may still be running (or have failed); let them finish before the run reports its failure.
                await reader.DrainAsync(ex => logger.LogDebug(ex, "Topic extraction read-ahead ended with the run"));
                throw;
            }
        }

        if (plan.FullSweep)
        {
            await batches.ApplyAsync(context, (connection, tx, ct) =>
                TopicExtractionWriter.MarkSweptAsync(connection, tx, version, now, ct), _ => 0, cancellationToken);
        }

        context.Details["batches"] = extractionBatches;
        context.Details["examined"] = examined;
        // Busy time per phase; reading and tokenizing the next batch overlap scoring and writing the current one.
        context.Details["read_ms"] = reading.Milliseconds;
        context.Details["extract_ms"] = extracting.Milliseconds;
        context.Details["write_ms"] = writing.Milliseconds;
        context.Details["extracted"] = inserted;
        context.Details["trivial"] = trivial;
        context.Details["llm_extracted"] = llmRows;
        context.Details["llm_calls"] = budget.Calls;
        context.Details["llm_cost_usd"] = Math.Round(budget.SpentUsd, 6);
        context.Details["llm_failures"] = budget.Failures;
    }

    /// <summary>
    /// Runs a batch's per-row CPU work on the thread pool and awaits it. <c>Parallel.For</c> runs rows on the calling pool
    /// thread too, but then holds that thread until the last row on any other thread is done: with two reads ahead and the
    /// scoring loop each doing that, a fresh process (the first run after a Functions worker starts) can wait on the pool's
    /// slow thread injection, and the worker's HTTP requests share that pool. In <c>bench/results/topic-parallel-async</c> the job's own speed moved within the machine's
    /// spread (median 1.03× over nine cold pairs).
    /// </summary>
    private static Task ForEachRowAsync(int count, ParallelOptions parallel, Action<int> body) =>
        Parallel.ForAsync(0, count, parallel, (i, _) =>
        {
            body(i);
            return ValueTask.CompletedTask;
        });

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
                    stems.Add(token.Key);
                }
            }
        }

        return (corpus, stems.ToArray());
    }

    /// <summary>The batch's topics, and how long (in <see cref="JobBatches.Timestamp"/> units) it waited on LLM calls.</summary>
    private async Task<(ExtractedRow[] Extracted, long LlmWait)> ScoreAsync(
        TopicReadBatch batch, TopicExtractionOptions o, bool useLlm, LlmBudget budget, ParallelOptions parallel, CancellationToken cancellationToken)
    {
        var (_, rows, analyses, corpus, stems, _, _) = batch;
        var (documents, df) = await batches.ReadAsync(async (connection, ct) =>
        {
            await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
                TopicExtractionSql.StatsSql, new { Version = o.ExtractorVersion, Terms = stems }, cancellationToken: ct));
            return (await grid.ReadSingleAsync<long>(), (await grid.ReadAsync<(string, long)>()).AsList());
        }, cancellationToken);
        corpus.AddCounts(documents, df);

        var results = new TopicResult[rows.Count];
        await ForEachRowAsync(rows.Count, parallel, i => results[i] = KeyphraseExtractor.Extract(analyses[i], corpus, o.MaxTopics));

        var llmWait = 0L;
        if (useLlm)
        {
            var llmStarted = batches.Timestamp();
            // A call waits on the model, not on this machine: LlmConcurrency of them are in flight at once, each row's
            // result lands at its own index, and the budget reserves each call's estimate before it is sent.
            var sendable = Enumerable.Range(0, rows.Count).Where(i => results[i].Method != TopicResult.TrivialMethod);
            await Parallel.ForEachAsync(sendable, new ParallelOptions { MaxDegreeOfParallelism = o.LlmConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                if (await llm.TryExtractAsync(
                        rows[i].Question ?? "", rows[i].Answer, rows[i].Privacy, privacy.Value.ShareAnswersOfUnknownProvenance, budget, o, ct) is { } fromLlm)
                {
                    results[i] = fromLlm with { Topics = [.. fromLlm.Topics.Take(o.MaxTopics)] };
                }
            });
            llmWait = batches.Timestamp() - llmStarted;
        }

        var extracted = new ExtractedRow[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            extracted[i] = new ExtractedRow(rows[i], analyses[i], results[i]);
        }

        return (extracted, llmWait);
    }
}
