-- Single-runner state lives in a row, not in a session advisory lock: a lock held on an idle pooled connection is
-- lost silently when that backend dies, and session locks do not survive PgBouncer in transaction mode.
-- One row per job: the holding run, a fencing token that grows with every takeover, and the holder's heartbeat.
CREATE TABLE IF NOT EXISTS job_leases (
    job_name      VARCHAR(64) PRIMARY KEY,
    holder_run_id UUID,
    fencing_token BIGINT NOT NULL DEFAULT 0,
    acquired_at   TIMESTAMPTZ,
    heartbeat_at  TIMESTAMPTZ,
    holder_host   VARCHAR(255)
);

-- Every committed batch, written in the batch's own transaction: which run applied it under which token. It is what
-- proves that two runs never applied batches at the same time, and what a run's progress is read from.
CREATE TABLE IF NOT EXISTS job_run_batches (
    job_run_id    UUID NOT NULL,
    batch_no      INT NOT NULL,
    fencing_token BIGINT NOT NULL,
    committed_at  TIMESTAMPTZ NOT NULL,
    rows_affected BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_run_id, batch_no)
);
