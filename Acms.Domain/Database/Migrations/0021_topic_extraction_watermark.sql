-- Topic extraction watermark: per extractor version, the (created_at, query_id) key of query_history up to which every
-- row has been examined, so an hourly run walks only the rows after it (minus a late-arrival window) instead of every
-- row ever extracted. last_full_sweep_at is when a run last walked the whole table (picking up rows that arrived late
-- with an older created_at than the window); a run sweeps again when that is older than the configured interval.
-- Additive only.
CREATE TABLE IF NOT EXISTS topic_extraction_watermarks (
    extractor_version  VARCHAR(32) PRIMARY KEY,
    created_at         TIMESTAMPTZ NOT NULL,
    query_id           UUID NOT NULL,
    last_full_sweep_at TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
