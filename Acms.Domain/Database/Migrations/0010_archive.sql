-- The archive of every memory the dedup and cleanup jobs merge away or delete, with its outcomes, written in the
-- same transaction as the delete. The known columns are copied one by one (queryable, restorable); row_data holds
-- the whole row as jsonb, so columns this service does not know (added by ACMS later) survive in the archive too.
-- No foreign keys: an archive row outlives its memory, and its user may be gone by the time it is read.

CREATE TABLE IF NOT EXISTS memory_items_archive (
    archive_id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    memory_id           UUID NOT NULL,
    user_id             UUID NOT NULL,
    content             TEXT NOT NULL,
    content_hash        VARCHAR(64) NOT NULL,
    encrypted_content   TEXT,
    embedding_vector_id VARCHAR(255),
    tier                VARCHAR(20) NOT NULL,
    phase               VARCHAR(100),
    tags                VARCHAR[] NOT NULL DEFAULT '{}',
    crs_score           FLOAT NOT NULL,
    semantic_score      FLOAT NOT NULL,
    recency_score       FLOAT NOT NULL,
    outcome_score       FLOAT NOT NULL,
    frequency_score     FLOAT NOT NULL,
    correction_score    FLOAT NOT NULL,
    access_count        INT NOT NULL,
    last_accessed       TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    checkpoint          INT,
    metadata_json       JSON NOT NULL DEFAULT '{}',
    privacy_level       VARCHAR(20) NOT NULL,
    owner_id            UUID,
    confidence_score    FLOAT,
    flagged             BOOLEAN NOT NULL DEFAULT false,
    flagged_reason      TEXT,
    feedback_summary    JSONB,
    last_decayed_at     TIMESTAMPTZ,
    row_data            JSONB NOT NULL,
    archive_run_id      UUID NOT NULL,
    archive_reason      VARCHAR(16) NOT NULL CHECK (archive_reason IN ('dedup', 'cleanup')),
    archived_at         TIMESTAMPTZ NOT NULL,
    merged_into         UUID,
    restored_at         TIMESTAMPTZ
);

-- Restore looks a memory up by id; the retention purge walks archived_at; a run's rows are found by run id.
CREATE INDEX IF NOT EXISTS ix_memory_items_archive_memory_id ON memory_items_archive (memory_id);
CREATE INDEX IF NOT EXISTS ix_memory_items_archive_archived_at ON memory_items_archive (archived_at);
CREATE INDEX IF NOT EXISTS ix_memory_items_archive_run ON memory_items_archive (archive_run_id);

CREATE TABLE IF NOT EXISTS outcomes_archive (
    archive_id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outcome_id     UUID NOT NULL,
    memory_id      UUID,
    query_id       UUID,
    outcome_type   VARCHAR(50) NOT NULL,
    feedback_score FLOAT,
    description    TEXT,
    "timestamp"    TIMESTAMPTZ NOT NULL,
    metadata_json  JSON NOT NULL DEFAULT '{}',
    row_data       JSONB NOT NULL,
    archive_run_id UUID NOT NULL,
    archive_reason VARCHAR(16) NOT NULL CHECK (archive_reason IN ('dedup', 'cleanup')),
    archived_at    TIMESTAMPTZ NOT NULL,
    merged_into    UUID,
    restored_at    TIMESTAMPTZ
);

CREATE INDEX IF NOT EXISTS ix_outcomes_archive_memory_id ON outcomes_archive (memory_id);
CREATE INDEX IF NOT EXISTS ix_outcomes_archive_archived_at ON outcomes_archive (archived_at);

-- Cleanup walks one tier in memory_id order (keyset batches): with (tier, memory_id) each batch is an index range scan
-- from the last key that stops after BatchSize matches, so a whole run reads the tier's rows once. Without it the
-- planner sorts every remaining candidate again for each batch (see CleanupJob for the plans).
CREATE INDEX IF NOT EXISTS ix_memory_items_tier_memory_id ON memory_items (tier, memory_id);
