-- Decay is per day, not per run: each memory remembers up to when it has been decayed.
ALTER TABLE memory_items ADD COLUMN IF NOT EXISTS last_decayed_at TIMESTAMPTZ;
