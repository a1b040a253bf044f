-- Where a scheduled run came from: past_due marks a run that caught up an occurrence missed while the timer or the
-- scheduler was down (one run, however many were missed); attempt/retry_of link the retries of a failed scheduled run
-- to its first try. Additive only, on this service's own table.
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS past_due BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS attempt INT NOT NULL DEFAULT 1;
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS retry_of UUID;
CREATE INDEX IF NOT EXISTS ix_job_runs_retry_of ON job_runs (retry_of) WHERE retry_of IS NOT NULL;
