-- The run ledger: one row per run of any job, from any trigger.
CREATE TABLE IF NOT EXISTS job_runs (
    job_run_id        UUID PRIMARY KEY,
    job_name          VARCHAR(64) NOT NULL,
    trigger           VARCHAR(16) NOT NULL CHECK (trigger IN ('timer', 'http', 'cli')),
    status            VARCHAR(16) NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'abandoned')),
    dry_run           BOOLEAN NOT NULL DEFAULT false,
    started_at        TIMESTAMPTZ NOT NULL,
    completed_at      TIMESTAMPTZ,
    input_count       BIGINT NOT NULL DEFAULT 0,
    output_count      BIGINT NOT NULL DEFAULT 0,
    error_count       BIGINT NOT NULL DEFAULT 0,
    affected_count    BIGINT NOT NULL DEFAULT 0,
    execution_time_ms DOUBLE PRECISION,
    error_summary     TEXT,
    host              VARCHAR(255),
    result            JSONB
);

CREATE INDEX IF NOT EXISTS ix_job_runs_job_started ON job_runs (job_name, started_at DESC);
CREATE INDEX IF NOT EXISTS ix_job_runs_started ON job_runs (started_at DESC);
CREATE INDEX IF NOT EXISTS ix_job_runs_running ON job_runs (job_name) WHERE status = 'running';
