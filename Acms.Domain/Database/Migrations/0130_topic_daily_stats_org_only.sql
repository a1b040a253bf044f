-- topic_daily_stats keeps the organisation's daily topic counts only (user_id = nil UUID, shareable rows). A user's own
-- topics are now read from that user's topic_extractions, which hold the same user, day and topics: the per-user copy
-- cost a new row and index entry for nearly every topic of every Q&A, about 40% of topic extraction's WAL, which the
-- ACMS API's commits wait behind. Its rows are no longer written or read.
DELETE FROM topic_daily_stats WHERE user_id <> '00000000-0000-0000-0000-000000000000';
