-- The privacy model of Q&A rows, defined once in the database (the C# mirror is Acms.Domain/Privacy/PrivacyModel.cs;
-- tests run both over the same cases). A query_history row is only as shareable as the strictest of:
--   * its declared level, metadata.privacy_level (case-insensitive; absent, blank or unrecognised = UNKNOWN);
--   * its provenance: the query_logs rows ACMS wrote for the same user and question within two minutes of it, their
--     own privacy_level and the level of every memory they retrieved (live, or archived by dedup/cleanup); no such
--     row, or a retrieved memory that is gone without an archive row, = UNKNOWN.
-- Order, most shareable first: PUBLIC < INTERNAL < UNKNOWN < CONFIDENTIAL < LOCAL_ONLY.
-- UNKNOWN rows may feed organisation outputs with their question only (as INTERNAL); their answer may not.
-- Additive only: query_logs is created only when ACMS has not created it (never altered), new functions, one new
-- table of ours, one new column on a table of ours.

DO $migration$
BEGIN
    -- ACMS's own query log, exactly as ACMS's migrations define it; created here only on a database without it
    -- (fresh install, tests, demo), so the provenance lookup below always has a table to read.
    IF to_regclass('query_logs') IS NULL THEN
        CREATE TABLE query_logs (
            log_id               UUID PRIMARY KEY,
            user_id              UUID NOT NULL,
            query                TEXT NOT NULL,
            query_hash           VARCHAR(64) NOT NULL,
            query_embedding_id   VARCHAR(255),
            retrieved_memory_ids UUID[] NOT NULL DEFAULT '{}',
            result_count         INT,
            latency_ms           FLOAT NOT NULL,
            "timestamp"          TIMESTAMPTZ NOT NULL DEFAULT now(),
            metadata_json        JSON NOT NULL DEFAULT '{}',
            privacy_level        VARCHAR(20) NOT NULL DEFAULT 'PUBLIC',
            owner_id             UUID
        );

        -- The provenance lookup probes (user_id, timestamp range) per Q&A row.
        CREATE INDEX ix_query_logs_user_timestamp ON query_logs (user_id, "timestamp");
    END IF;
END
$migration$;

-- Rank of a level: PUBLIC 0, INTERNAL 1, UNKNOWN 2, CONFIDENTIAL 3, LOCAL_ONLY 4. Leading/trailing ASCII whitespace is
-- ignored and only ASCII letters are case-folded (so the C# mirror agrees on every input); NULL, blank and anything
-- unrecognised rank as UNKNOWN.
CREATE OR REPLACE FUNCTION acms_privacy_rank(level text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE translate(btrim(level, E' \t\n\r\f\x0B'), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
        WHEN 'PUBLIC' THEN 0
        WHEN 'INTERNAL' THEN 1
        WHEN 'CONFIDENTIAL' THEN 3
        WHEN 'LOCAL_ONLY' THEN 4
        ELSE 2
    END
$fn$;

CREATE OR REPLACE FUNCTION acms_privacy_name(rank int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT (ARRAY['PUBLIC', 'INTERNAL', 'UNKNOWN', 'CONFIDENTIAL', 'LOCAL_ONLY'])[least(greatest(COALESCE(rank, 2), 0), 4) + 1]
$fn$;

-- The canonical name of a raw level value.
CREATE OR REPLACE FUNCTION acms_privacy_level(level text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT acms_privacy_name(acms_privacy_rank(level))
$fn$;

-- The stricter of two levels (each read as acms_privacy_level reads it).
CREATE OR REPLACE FUNCTION acms_privacy_strictest(a text, b text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT acms_privacy_name(greatest(acms_privacy_rank(a), acms_privacy_rank(b)))
$fn$;

-- A Q&A row's declared level: metadata.privacy_level when it is a JSON string, else UNKNOWN.
CREATE OR REPLACE FUNCTION acms_declared_privacy(metadata jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT acms_privacy_level(CASE WHEN jsonb_typeof(metadata -> 'privacy_level') = 'string' THEN metadata ->> 'privacy_level' END)
$fn$;

-- The provenance of a Q&A row's answer: the strictest level among the matching query_logs rows and every memory they
-- retrieved; UNKNOWN when nothing matches. A match is the same user, the same question (text, or the SHA-256 hex of
-- it in query_hash) and a timestamp within two minutes either side of the row's created_at: ACMS logs the retrieval
-- before the answer is written, seconds apart; a user asking the very same question twice within that window gets
-- the union of both retrievals, which can only make the row stricter.
CREATE OR REPLACE FUNCTION acms_answer_provenance(p_user uuid, p_query text, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    WITH logs AS (
        SELECT l.privacy_level, l.retrieved_memory_ids
        FROM query_logs l
        WHERE p_at IS NOT NULL
          AND l.user_id = p_user
          AND l."timestamp" BETWEEN p_at - interval '2 minutes' AND p_at + interval '2 minutes'
          AND (l.query = p_query OR l.query_hash = encode(sha256(convert_to(p_query, 'UTF8')), 'hex'))
    ),
    memories AS (
        SELECT DISTINCT m.id FROM logs CROSS JOIN LATERAL unnest(logs.retrieved_memory_ids) AS m(id)
    ),
    ranks AS (
        SELECT acms_privacy_rank(logs.privacy_level) AS rank FROM logs
        UNION ALL
        SELECT COALESCE(
                   (SELECT acms_privacy_rank(mi.privacy_level) FROM memory_items mi WHERE mi.memory_id = m.id),
                   (SELECT max(acms_privacy_rank(a.privacy_level)) FROM memory_items_archive a WHERE a.memory_id = m.id),
                   2)
        FROM memories m
    )
    SELECT CASE WHEN EXISTS (SELECT 1 FROM logs) THEN acms_privacy_name((SELECT max(rank) FROM ranks)) ELSE 'UNKNOWN' END
$fn$;

-- The effective level of a query_history row: the one expression every job, API and the LLM gate use.
CREATE OR REPLACE FUNCTION acms_qa_privacy(metadata jsonb, p_user uuid, p_query text, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT acms_privacy_strictest(acms_declared_privacy(metadata), acms_answer_provenance(p_user, p_query, p_at))
$fn$;

-- What an effective level allows (its argument is a canonical level; anything else, NULL included, allows nothing):
-- the question may count in organisation outputs (as INTERNAL when UNKNOWN) and be sent to the external LLM;
CREATE OR REPLACE FUNCTION acms_question_shareable(level text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT COALESCE(level IN ('PUBLIC', 'INTERNAL', 'UNKNOWN'), false)
$fn$;

-- the answer may feed them too (an UNKNOWN one only when the deployment allows it);
CREATE OR REPLACE FUNCTION acms_answer_shareable(level text, allow_unknown boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT COALESCE(level IN ('PUBLIC', 'INTERNAL') OR (level = 'UNKNOWN' AND allow_unknown), false)
$fn$;

-- the question's text may be shown verbatim in organisation outputs.
CREATE OR REPLACE FUNCTION acms_text_public(level text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT COALESCE(level = 'PUBLIC', false)
$fn$;

-- The effective level of the source row, written by topic extraction (which from now on writes the same level into
-- privacy_level too, instead of the declared one); organisation outputs count a row only when
-- acms_question_shareable(effective_privacy). NULL (rows extracted before this model) counts in personal outputs only.
ALTER TABLE topic_extractions ADD COLUMN IF NOT EXISTS effective_privacy VARCHAR(20);

-- Organisation rollups and org_knowledge written before this model counted rows whose topics may come from answers of
-- unknown provenance; they cannot be told apart afterwards, so they are dropped (derived data: the jobs rebuild them
-- from rows extracted under this model). Personal rollups are kept.
DELETE FROM topic_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000';
DELETE FROM query_daily_stats WHERE user_id = '00000000-0000-0000-0000-000000000000';
DELETE FROM org_knowledge;

-- Per-deployment secrets generated on first use when no setting provides one (e.g. the HMAC key of knowledge-gap
-- insight keys). Read by the service only; never logged.
CREATE TABLE IF NOT EXISTS acms_deployment_secrets (
    name       VARCHAR(64) PRIMARY KEY,
    secret     BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
