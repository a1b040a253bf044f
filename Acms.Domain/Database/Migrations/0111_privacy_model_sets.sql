-- The privacy model of migration 0030 over a set of Q&A rows at once. The rule is unchanged and now written once, here,
-- over sets: the per-row functions acms_answer_provenance and acms_qa_privacy become calls of these with one row, so a
-- job that needs the levels of a whole batch (topic extraction's read) runs one statement for the batch instead of one
-- function call per row (each with its own executor start-up), and both always agree.
-- The rows come as parallel arrays (element i of each is row i); each result row carries its row's position, ord.

-- The provenance of each row's answer: the strictest level among the matching query_logs rows and every memory they
-- retrieved; UNKNOWN when nothing matches. A match is the same user, the same question (text, or the SHA-256 hex of it
-- in query_hash) and a timestamp within two minutes either side of the row's created_at (see 0030 for why). A
-- retrieved memory counts with its live level, else the strictest level it was archived with, else (gone without an
-- archive row) UNKNOWN.
CREATE OR REPLACE FUNCTION acms_answer_provenances(p_users uuid[], p_queries text[], p_ats timestamptz[])
RETURNS TABLE (ord bigint, level text)
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    -- Each matching log counts with the stricter of its own level and its strictest memory; no log leaves rank NULL.
    SELECT r.ord, CASE WHEN x.rank IS NULL THEN 'UNKNOWN' ELSE acms_privacy_name(x.rank) END
    FROM unnest(p_users, p_queries, p_ats) WITH ORDINALITY AS r(user_id, query, at, ord)
    LEFT JOIN LATERAL (
        SELECT max(greatest(acms_privacy_rank(l.privacy_level), m.rank)) AS rank
        FROM query_logs l
        LEFT JOIN LATERAL (
            SELECT max(COALESCE(
                       (SELECT acms_privacy_rank(mi.privacy_level) FROM memory_items mi WHERE mi.memory_id = ids.id),
                       (SELECT max(acms_privacy_rank(a.privacy_level)) FROM memory_items_archive a WHERE a.memory_id = ids.id),
                       2)) AS rank
            FROM unnest(l.retrieved_memory_ids) AS ids(id)) m ON true
        WHERE l.user_id = r.user_id
          AND l."timestamp" BETWEEN r.at - interval '2 minutes' AND r.at + interval '2 minutes'
          AND (l.query = r.query OR l.query_hash = encode(sha256(convert_to(r.query, 'UTF8')), 'hex'))
    ) x ON true
$fn$;

-- The effective level of each query_history row: its declared level and its answer's provenance, strictest wins.
CREATE OR REPLACE FUNCTION acms_qa_privacies(p_metadata jsonb[], p_users uuid[], p_queries text[], p_ats timestamptz[])
RETURNS TABLE (ord bigint, level text)
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT p.ord, acms_privacy_strictest(acms_declared_privacy(m.metadata), p.level)
    FROM acms_answer_provenances(p_users, p_queries, p_ats) p
    JOIN unnest(p_metadata) WITH ORDINALITY AS m(metadata, ord) ON m.ord = p.ord
$fn$;

-- The per-row forms every other query uses keep their signatures and meaning: one row of the set forms.
CREATE OR REPLACE FUNCTION acms_answer_provenance(p_user uuid, p_query text, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT p.level FROM acms_answer_provenances(ARRAY[p_user], ARRAY[p_query], ARRAY[p_at]) p
$fn$;

CREATE OR REPLACE FUNCTION acms_qa_privacy(metadata jsonb, p_user uuid, p_query text, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT p.level FROM acms_qa_privacies(ARRAY[metadata], ARRAY[p_user], ARRAY[p_query], ARRAY[p_at]) p
$fn$;
