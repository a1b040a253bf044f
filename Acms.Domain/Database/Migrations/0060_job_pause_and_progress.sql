-- Pause a job without a redeploy: one row per paused job, with who paused it, when and why. Resuming deletes the row.
CREATE TABLE IF NOT EXISTS job_pauses (
    job_name   VARCHAR(64) PRIMARY KEY,
    paused_by  VARCHAR(255) NOT NULL,
    paused_at  TIMESTAMPTZ NOT NULL,
    reason     TEXT
);

-- Live progress of a running run, written as each batch commits (the ledger is this service's own table).
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS progress_rows BIGINT NOT NULL DEFAULT 0;
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS progress_batches BIGINT NOT NULL DEFAULT 0;
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS last_batch_at TIMESTAMPTZ;
