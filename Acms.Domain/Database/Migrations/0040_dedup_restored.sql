-- Memories put back from the archive (ArchiveRestorer: `acms jobs restore`) with the md5 of the text they came back
-- with. Dedup leaves such a memory alone while its text is still that one: a person undid a merge or a cleanup, and the
-- next run must not redo it. When ACMS changes the text, the hash no longer matches and the memory takes part again.
-- The hash is computed here from `content` (not ACMS's content_hash), so an edit is seen however ACMS keeps its hash.
-- No foreign key: a marker outliving its memory is harmless (ids are never reused) and keeps deletes from memory_items
-- free of an extra check; a later restore of the same memory overwrites it.
CREATE TABLE IF NOT EXISTS dedup_restored (
    memory_id   UUID PRIMARY KEY,
    content_md5 TEXT NOT NULL,
    restored_at TIMESTAMPTZ NOT NULL
);
