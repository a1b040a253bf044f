using Acms.Domain.Insights;
using Acms.Domain.Privacy;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>The SQL of <see cref="TopicExtractionJob"/>: the walk over query_history, the watermark, the vocabulary and the batch write.</summary>
internal static class TopicExtractionSql
{
    private const string Pending = """
        NOT EXISTS (
            SELECT 1 FROM topic_extractions t
            WHERE t.source_type = 'query_history' AND t.source_id = q.query_id AND t.extractor_version = @Version)
        """;

    // The candidate rows of a batch are taken by key alone (an index range scan with LIMIT), then each is probed
    // against the unique key of topic_extractions by a LATERAL lookup: the plan cannot turn into a walk of every
    // extraction, whatever the table statistics say. Rows already extracted come back with their text left out.
    // The rows still to extract get their effective level (privacy model, provenance and quoted memories included) from
    // the set form of the model (acms_qa_privacies), called once for the whole batch: one join of the batch with
    // query_logs and the memories they retrieved, and one with its users' sensitive memories, instead of lookups per
    // row. The level decides whether a row's answer is read at all: an answer that may not feed organisation outputs
    // never leaves the database.
    private static string Batch(string where, string order, string limit) => $"""
        WITH q AS MATERIALIZED (
            SELECT q.query_id, q.user_id, q.query_text, q.response_text, q.created_at, q.from_cache, q.metadata, e.done
            FROM (SELECT * FROM query_history q
                  WHERE {where}
                  ORDER BY {order}
                  {limit}) q
            LEFT JOIN LATERAL (
                SELECT true AS done FROM topic_extractions t
                WHERE t.source_type = 'query_history' AND t.source_id = q.query_id AND t.extractor_version = @Version
                LIMIT 1) e ON true
        ),
        levels AS MATERIALIZED ({PrivacySql.LevelsOf("SELECT * FROM q WHERE q.done IS NULL")})
        SELECT q.query_id AS QueryId, q.user_id AS UserId,
               CASE WHEN q.done IS NULL THEN q.query_text END AS Question,
               CASE WHEN q.done IS NULL AND {PrivacySql.AnswerShareable("p.level", "@ShareUnknownAnswers")} THEN q.response_text END AS Answer,
               q.created_at AS CreatedAt, COALESCE(q.from_cache, false) AS FromCache,
               CASE WHEN q.done IS NULL THEN {QueryHistorySql.CostUsd} END AS CostUsd,
               CASE WHEN q.done IS NULL THEN p.level ELSE '' END AS Privacy,
               q.done IS NOT NULL AS Done
        FROM q LEFT JOIN levels p ON p.query_id = q.query_id
        ORDER BY {order}
        """;

    // A batch is either the rows up to the key its bound query found (a range: reads ahead can start on the next range
    // before this one is read) or, at the end of a walk where no bound exists, the next BatchSize rows. A range read is
    // capped too (RangeLimit, twice BatchSize): the planner misjudges two row comparisons as a tenth of the table and,
    // uncapped, plans a parallel bitmap scan and sort that cost the bench a third of its speed; the cap gives the ordered
    // index scan of the LIMIT read. A range that fills its cap (rows arrived in it after its bound was read) was cut short,
    // and the walk goes on after its last row (TopicBatchReader).
    private const string AfterUndated = "q.created_at IS NULL AND q.query_id > @AfterId";

    private const string AfterDated = "(q.created_at, q.query_id) > (@AfterAt, @AfterId)";

    // A bound query walks in exactly the order of the batch read it bounds.
    private const string UndatedOrder = "q.query_id";

    private const string DatedOrder = "q.created_at, q.query_id";

    private const string Limit = "LIMIT @BatchSize";

    private const string RangeLimit = "LIMIT @RangeLimit";

    public static readonly string UndatedBatchSql = Batch(AfterUndated, UndatedOrder, Limit);

    public static readonly string DatedBatchSql = Batch(AfterDated, DatedOrder, Limit);

    public static readonly string UndatedRangeSql = Batch($"{AfterUndated} AND q.query_id <= @UpToId", UndatedOrder, RangeLimit);

    public static readonly string DatedRangeSql = Batch($"{AfterDated} AND (q.created_at, q.query_id) <= (@UpToAt, @UpToId)", DatedOrder, RangeLimit);

    // The key of the BatchSize-th row after a key: an index-only walk of (created_at, query_id), far cheaper than the
    // batch read it bounds. No row: fewer than BatchSize rows are left, and the walk's last read is a LIMIT read.
    public const string UndatedBoundSql = $"""
        SELECT q.created_at AS CreatedAt, q.query_id AS QueryId FROM query_history q
        WHERE {AfterUndated} ORDER BY {UndatedOrder} OFFSET @Skip LIMIT 1
        """;

    public const string DatedBoundSql = $"""
        SELECT q.created_at AS CreatedAt, q.query_id AS QueryId FROM query_history q
        WHERE {AfterDated} ORDER BY {DatedOrder} OFFSET @Skip LIMIT 1
        """;

    public const string CountSql = $"SELECT count(*) FROM query_history q WHERE {Pending}";

    public const string WatermarkSql = """
        SELECT created_at AS CreatedAt, query_id AS QueryId, last_full_sweep_at AS LastFullSweepAt
        FROM topic_extraction_watermarks WHERE extractor_version = @Version
        """;

    // Only ever moves forward, so an overlapping run or a sweep behind the watermark never moves it back.
    public const string AdvanceSql = """
        INSERT INTO topic_extraction_watermarks AS w (extractor_version, created_at, query_id, updated_at)
        VALUES (@Version, @At, @Id, @Now)
        ON CONFLICT (extractor_version) DO UPDATE SET created_at = EXCLUDED.created_at, query_id = EXCLUDED.query_id, updated_at = EXCLUDED.updated_at
        WHERE (w.created_at, w.query_id) < (EXCLUDED.created_at, EXCLUDED.query_id)
        """;

    public const string SweptSql = """
        UPDATE topic_extraction_watermarks SET last_full_sweep_at = @Now, updated_at = @Now WHERE extractor_version = @Version
        """;

    public const string StatsSql = """
        SELECT COALESCE((SELECT document_count FROM topic_corpus_stats WHERE extractor_version = @Version), 0);
        SELECT term, doc_count FROM topic_term_stats WHERE extractor_version = @Version AND term = ANY(@Terms);
        """;

    // The lexicon's concepts, with their aliases and kind, once per run; a concept already learned from the corpus
    // becomes a lexicon entry and keeps its counts.
    public const string SeedVocabularySql = """
        INSERT INTO topic_vocabulary AS v (extractor_version, topic, aliases, kind, source)
        SELECT @Version, c.topic, CASE WHEN c.aliases = '' THEN '{}'::text[] ELSE string_to_array(c.aliases, '|') END, c.kind, 'lexicon'
        FROM unnest(@Topics, @Aliases, @Kinds) AS c(topic, aliases, kind)
        ORDER BY c.topic
        ON CONFLICT (extractor_version, topic) DO UPDATE SET aliases = EXCLUDED.aliases, kind = EXCLUDED.kind, source = 'lexicon'
        WHERE (v.aliases, v.kind, v.source) IS DISTINCT FROM (EXCLUDED.aliases, EXCLUDED.kind, EXCLUDED.source)
        """;

    public const string StagingSql = """
        CREATE TEMP TABLE te_rows (
            source_id uuid, user_id uuid, topics text[], primary_topic text, method text, confidence float8,
            source_created_at timestamptz, from_cache bool, cost_usd float8, privacy_level text) ON COMMIT DROP
        """;

    public const string InsertSql = """
        INSERT INTO topic_extractions (source_type, source_id, user_id, topics, primary_topic, extraction_method,
                                       extractor_version, confidence, source_created_at, privacy_level, effective_privacy, created_at)
        SELECT 'query_history', source_id, user_id, topics, primary_topic, method, @Version, confidence, source_created_at, privacy_level, privacy_level, @Now
        FROM te_rows
        ORDER BY source_id
        ON CONFLICT (source_type, source_id, extractor_version) DO NOTHING
        RETURNING source_id
        """;

    // When another run inserted some of the batch first, the rollups below must count only this run's rows.
    public const string KeepInsertedSql = """
        DELETE FROM te_rows r WHERE NOT EXISTS (SELECT 1 FROM unnest(@Inserted) AS i(id) WHERE i.id = r.source_id)
        """;

    // Term statistics arrive aggregated (counted in the job over the inserted rows); the daily rollups are counted here.
    // topic_daily_stats holds the organisation's topics only (shareable rows): a user's own topics are read from their
    // extractions, which hold the same user, day and topics. A per-user copy made almost every topic of every Q&A a new
    // row and index entry, about 40% of the job's WAL, which the ACMS API's commits wait behind (faults/results.md § 6).
    public const string StatisticsSql = """
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
        rows AS (
            SELECT r.source_id, r.user_id, r.topics, r.method AS extraction_method, r.from_cache, r.cost_usd,
                   acms_question_shareable(r.privacy_level) AS shareable, (r.source_created_at AT TIME ZONE 'UTC')::date AS day
            FROM te_rows r
            WHERE r.source_created_at IS NOT NULL
        ),
        topic_days AS (
            INSERT INTO topic_daily_stats AS d (extractor_version, day, user_id, topic, query_count)
            SELECT @Version, r.day, @Org, topic, count(*)
            FROM rows r CROSS JOIN LATERAL unnest(r.topics) AS topic
            WHERE r.shareable
            GROUP BY r.day, topic ORDER BY r.day, topic
            ON CONFLICT (extractor_version, user_id, day, topic) DO UPDATE SET query_count = d.query_count + EXCLUDED.query_count
            RETURNING 1
        ),
        vocabulary AS (
            INSERT INTO topic_vocabulary AS v (extractor_version, topic, source, doc_count, first_seen, last_seen)
            SELECT @Version, topic, 'corpus', count(*), min(r.source_created_at), max(r.source_created_at)
            FROM te_rows r CROSS JOIN LATERAL unnest(r.topics) AS topic
            WHERE acms_question_shareable(r.privacy_level)
            GROUP BY topic ORDER BY topic
            ON CONFLICT (extractor_version, topic) DO UPDATE SET
                doc_count = v.doc_count + EXCLUDED.doc_count,
                first_seen = LEAST(v.first_seen, EXCLUDED.first_seen),
                last_seen = GREATEST(v.last_seen, EXCLUDED.last_seen)
            RETURNING 1
        ),
        relations AS (
            INSERT INTO topic_relations AS t (extractor_version, topic, head, doc_count)
            SELECT @Version, rel.topic, rel.head, rel.n FROM unnest(@RelationTopics, @RelationHeads, @RelationCounts) AS rel(topic, head, n)
            ON CONFLICT (extractor_version, topic, head) DO UPDATE SET doc_count = t.doc_count + EXCLUDED.doc_count
            RETURNING 1
        ),
        query_days AS (
            INSERT INTO query_daily_stats AS d (extractor_version, day, user_id, query_count, cache_hits, cost_sum_usd, cost_count, trivial_count)
            SELECT @Version, r.day, u.id, count(*), count(*) FILTER (WHERE r.from_cache), COALESCE(sum(r.cost_usd), 0),
                   count(r.cost_usd), count(*) FILTER (WHERE r.extraction_method = 'trivial')
            FROM rows r CROSS JOIN LATERAL unnest(CASE WHEN r.shareable THEN ARRAY[r.user_id, @Org] ELSE ARRAY[r.user_id] END) AS u(id)
            GROUP BY u.id, r.day ORDER BY u.id, r.day
            ON CONFLICT (extractor_version, user_id, day) DO UPDATE SET
                query_count = d.query_count + EXCLUDED.query_count,
                cache_hits = d.cache_hits + EXCLUDED.cache_hits,
                cost_sum_usd = d.cost_sum_usd + EXCLUDED.cost_sum_usd,
                cost_count = d.cost_count + EXCLUDED.cost_count,
                trivial_count = d.trivial_count + EXCLUDED.trivial_count
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM corpus) + (SELECT count(*) FROM terms) + (SELECT count(*) FROM vocabulary) + (SELECT count(*) FROM relations)
                 + (SELECT count(*) FROM topic_days) + (SELECT count(*) FROM query_days) AS StatRows
        """;
}
