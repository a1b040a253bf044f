-- A Q&A row with no retrieval log that quotes one of its user's CONFIDENTIAL or LOCAL_ONLY memories is derived from
-- that memory. The provenance of 0030/0111 only knows the memories a query_logs row names: a row without a log
-- (UNKNOWN) still counted as INTERNAL in organisation outputs by its question, so "What is my lab door code?", answered
-- by quoting a LOCAL_ONLY memory with no log, put `door-code` into the org report. Without a log the text is the only
-- evidence of what the answer drew on: the model now reads it, in the database (no sensitive text leaves it). A row
-- with a log is judged by its log, the record of what was retrieved for the answer: comparing every row's text with
-- every sensitive memory of its user costs time in proportion to those memories (on the bench, 0.1 s per 5,000-row
-- batch at 10 sensitive memories a user, 0.76 s at 100), and a deployment whose ACMS logs retrievals would pay it for
-- nothing.

-- What a quote of a memory looks like: its text in lower case, without the surrounding spaces and the closing
-- punctuation a sentence puts after it ("From your notes: <memory>." quotes "<Memory>").
CREATE OR REPLACE FUNCTION acms_quote_body(content text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT btrim(lower(content), E' \t\r\n.!?;:,"''')
$fn$;

-- Each row's strictest quoted memory, for the rows that quote one (a row with a NULL user or text is not looked at): a
-- text quotes a memory of the same user, live or archived after dedup or cleanup, when it holds the memory's text word
-- for word (case aside) and that text is at least 12 characters long, so that a memory of a word or two does not match
-- every text that uses them. Only CONFIDENTIAL and LOCAL_ONLY memories are looked at: quoting anything more shareable
-- cannot make a row stricter than UNKNOWN. The sensitive memories of the call's users are read once, in one bitmap scan
-- of the partial indexes below for the array of those users (a probe per user cost four times as much on a 5,000-row
-- batch of the bench), and each row is compared with its user's by strpos: no text is split into words, so the check
-- costs a hash join and a few substring searches per row. A paraphrase is not a quote: the retrieval log
-- (acms_answer_provenances) is the evidence for it.
CREATE OR REPLACE FUNCTION acms_quoted_privacies(p_users uuid[], p_texts text[])
RETURNS TABLE (ord bigint, level text)
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    WITH t AS MATERIALIZED (
        SELECT t.ord, t.user_id, lower(t.text) AS text
        FROM unnest(p_users, p_texts) WITH ORDINALITY AS t(user_id, text, ord)
        WHERE t.user_id IS NOT NULL AND t.text IS NOT NULL
    ),
    m AS MATERIALIZED (
        SELECT mi.user_id, acms_privacy_rank(mi.privacy_level) AS rank, acms_quote_body(mi.content) AS body
        FROM memory_items mi
        WHERE mi.user_id = ANY (ARRAY(SELECT DISTINCT t.user_id FROM t)) AND acms_privacy_rank(mi.privacy_level) >= 3
        UNION ALL
        SELECT a.user_id, acms_privacy_rank(a.privacy_level), acms_quote_body(a.content)
        FROM memory_items_archive a
        WHERE a.user_id = ANY (ARRAY(SELECT DISTINCT t.user_id FROM t)) AND acms_privacy_rank(a.privacy_level) >= 3
    )
    SELECT t.ord, acms_privacy_name(max(m.rank))
    FROM t JOIN m ON m.user_id = t.user_id
    WHERE length(m.body) >= 12 AND strpos(t.text, m.body) > 0
    GROUP BY t.ord
$fn$;

-- Only the sensitive memories are probed, per user: a small partial index instead of a walk of every memory of a user.
CREATE INDEX IF NOT EXISTS ix_memory_items_sensitive_user ON memory_items (user_id) WHERE acms_privacy_rank(privacy_level) >= 3;
CREATE INDEX IF NOT EXISTS ix_memory_items_archive_sensitive_user ON memory_items_archive (user_id) WHERE acms_privacy_rank(privacy_level) >= 3;

-- The effective level now needs the answer, so the model's functions take it; the old signatures go, so that no query
-- can keep calling a model that does not read it.
DROP FUNCTION IF EXISTS acms_qa_privacy(jsonb, uuid, text, timestamptz);
DROP FUNCTION IF EXISTS acms_qa_privacies(jsonb[], uuid[], text[], timestamptz[]);

-- The effective level of each query_history row: its declared level, its answer's provenance and, for a row whose
-- provenance is unknown, the sensitive memories its question or answer quotes; strictest wins.
CREATE FUNCTION acms_qa_privacies(p_metadata jsonb[], p_users uuid[], p_queries text[], p_answers text[], p_ats timestamptz[])
RETURNS TABLE (ord bigint, level text)
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    WITH p AS MATERIALIZED (SELECT * FROM acms_answer_provenances(p_users, p_queries, p_ats))
    SELECT p.ord, acms_privacy_strictest(acms_privacy_strictest(acms_declared_privacy(m.metadata), p.level), COALESCE(x.level, 'PUBLIC'))
    FROM p
    JOIN unnest(p_metadata) WITH ORDINALITY AS m(metadata, ord) ON m.ord = p.ord
    LEFT JOIN acms_quoted_privacies(
        -- A NULL user leaves a row out of the quote check: only the rows of unknown provenance are compared (no log,
        -- or a retrieved memory gone without an archive row).
        ARRAY(SELECT CASE WHEN p.level = 'UNKNOWN' THEN u.user_id END
              FROM unnest(p_users) WITH ORDINALITY AS u(user_id, ord) JOIN p ON p.ord = u.ord ORDER BY u.ord),
        ARRAY(SELECT concat_ws(E'\n', u.query, u.answer) FROM unnest(p_queries, p_answers) WITH ORDINALITY AS u(query, answer, ord) ORDER BY u.ord)
    ) x ON x.ord = p.ord
$fn$;

CREATE FUNCTION acms_qa_privacy(metadata jsonb, p_user uuid, p_query text, p_answer text, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT p.level FROM acms_qa_privacies(ARRAY[metadata], ARRAY[p_user], ARRAY[p_query], ARRAY[p_answer], ARRAY[p_at]) p
$fn$;
