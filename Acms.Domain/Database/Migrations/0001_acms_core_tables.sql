-- The ACMS tables this service reads and writes, exactly as the ACMS migrations define them, with their indexes.
-- Each table and its indexes are created only when the table does not exist: on an existing ACMS database
-- nothing is created, altered, renamed or dropped (its own indexes, under their own names, stay the only ones).

DO $migration$
BEGIN
    IF to_regclass('users') IS NULL THEN
        CREATE TABLE users (
            user_id       UUID PRIMARY KEY,
            username      VARCHAR(255) NOT NULL UNIQUE,
            email         VARCHAR(255) UNIQUE,
            display_name  VARCHAR(255),
            is_active     BOOLEAN NOT NULL DEFAULT true,
            is_admin      BOOLEAN NOT NULL DEFAULT false,
            created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
            last_login    TIMESTAMPTZ,
            metadata_json JSON NOT NULL DEFAULT '{}'
        );
    END IF;
END
$migration$;

DO $migration$
BEGIN
    IF to_regclass('memory_items') IS NULL THEN
        CREATE TABLE memory_items (
            memory_id           UUID PRIMARY KEY,
            user_id             UUID NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            content             TEXT NOT NULL,
            content_hash        VARCHAR(64) NOT NULL,
            encrypted_content   TEXT,
            embedding_vector_id VARCHAR(255),
            tier                VARCHAR(20) NOT NULL DEFAULT 'SHORT',
            phase               VARCHAR(100),
            tags                VARCHAR[] NOT NULL DEFAULT '{}',
            crs_score           FLOAT NOT NULL DEFAULT 0.0,
            semantic_score      FLOAT NOT NULL DEFAULT 0.0,
            recency_score       FLOAT NOT NULL DEFAULT 0.0,
            outcome_score       FLOAT NOT NULL DEFAULT 0.0,
            frequency_score     FLOAT NOT NULL DEFAULT 0.0,
            correction_score    FLOAT NOT NULL DEFAULT 0.0,
            access_count        INT NOT NULL DEFAULT 0,
            last_accessed       TIMESTAMPTZ,
            created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
            checkpoint          INT,
            metadata_json       JSON NOT NULL DEFAULT '{}',
            privacy_level       VARCHAR(20) NOT NULL DEFAULT 'INTERNAL',
            owner_id            UUID,
            confidence_score    FLOAT DEFAULT 1.0 CHECK (confidence_score >= 0.0 AND confidence_score <= 1.0),
            flagged             BOOLEAN NOT NULL DEFAULT false,
            flagged_reason      TEXT,
            feedback_summary    JSONB DEFAULT '{}',
            CONSTRAINT uq_user_content_hash UNIQUE (user_id, content_hash)
        );

        CREATE INDEX ix_memory_items_user_id ON memory_items (user_id);
        CREATE INDEX ix_memory_items_content_hash ON memory_items (content_hash);
        CREATE INDEX ix_memory_items_tier ON memory_items (tier);
        CREATE INDEX ix_memory_items_phase ON memory_items (phase);
        CREATE INDEX ix_memory_items_crs_score ON memory_items (crs_score);
        CREATE INDEX ix_memory_items_created_at ON memory_items (created_at);
        CREATE INDEX ix_memory_items_user_tier ON memory_items (user_id, tier);
        CREATE INDEX ix_memory_items_user_phase ON memory_items (user_id, phase);
        CREATE INDEX ix_memory_items_privacy_level ON memory_items (privacy_level);
        CREATE INDEX ix_memory_items_user_privacy ON memory_items (user_id, privacy_level);
        CREATE INDEX ix_memory_items_owner_id ON memory_items (owner_id);
    END IF;
END
$migration$;

DO $migration$
BEGIN
    IF to_regclass('outcomes') IS NULL THEN
        CREATE TABLE outcomes (
            outcome_id    UUID PRIMARY KEY,
            memory_id     UUID REFERENCES memory_items(memory_id) ON DELETE CASCADE,
            query_id      UUID,
            outcome_type  VARCHAR(50) NOT NULL,
            feedback_score FLOAT,
            description   TEXT,
            "timestamp"   TIMESTAMPTZ NOT NULL DEFAULT now(),
            metadata_json JSON NOT NULL DEFAULT '{}'
        );

        CREATE INDEX ix_outcomes_memory_id ON outcomes (memory_id);
    END IF;
END
$migration$;

DO $migration$
BEGIN
    IF to_regclass('query_history') IS NULL THEN
        CREATE TABLE query_history (
            query_id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id          UUID NOT NULL,
            query_text       TEXT NOT NULL,
            response_text    TEXT,
            response_source  VARCHAR(50) DEFAULT 'fresh',
            confidence_score FLOAT DEFAULT 0.0,
            latency_ms       FLOAT DEFAULT 0.0,
            created_at       TIMESTAMPTZ DEFAULT now(),
            metadata         JSONB DEFAULT '{}',
            from_cache       BOOLEAN NOT NULL DEFAULT false
        );

        CREATE INDEX ix_query_history_user_id ON query_history (user_id);
        CREATE INDEX ix_query_history_created_at ON query_history (created_at DESC);
    END IF;
END
$migration$;
