-- Topic vocabulary: one row per canonical topic and extractor version. Seeded from the lexicon shipped with the
-- extractor (source 'lexicon', with its aliases and kind) and grown by the extraction job with every canonical topic
-- it writes (source 'corpus' when the lexicon does not know it). doc_count, first_seen and last_seen count only the
-- questions the privacy model lets into org-level figures (acms_question_shareable), so a CONFIDENTIAL or LOCAL_ONLY
-- question never adds a topic or a count here. Additive only.
CREATE TABLE IF NOT EXISTS topic_vocabulary (
    extractor_version VARCHAR(32) NOT NULL,
    topic             TEXT NOT NULL,
    aliases           TEXT[] NOT NULL DEFAULT '{}',
    kind              VARCHAR(16),
    source            VARCHAR(8) NOT NULL CHECK (source IN ('lexicon', 'corpus')),
    doc_count         BIGINT NOT NULL DEFAULT 0,
    first_seen        TIMESTAMPTZ,
    last_seen         TIMESTAMPTZ,
    PRIMARY KEY (extractor_version, topic)
);

-- A compound and the concept it belongs to ("table-bloat" of "postgresql"), counted over the same shareable questions:
-- both are topics of the question, and the relation lets a reader find the compound from its head concept.
CREATE TABLE IF NOT EXISTS topic_relations (
    extractor_version VARCHAR(32) NOT NULL,
    topic             TEXT NOT NULL,
    head              TEXT NOT NULL,
    doc_count         BIGINT NOT NULL,
    PRIMARY KEY (extractor_version, topic, head)
);

CREATE INDEX IF NOT EXISTS ix_topic_relations_head ON topic_relations (extractor_version, head);
