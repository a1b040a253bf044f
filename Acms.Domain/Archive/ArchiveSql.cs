namespace Acms.Domain.Archive;

/// <summary>
/// The columns copied into <c>memory_items_archive</c> / <c>outcomes_archive</c>, shared by the jobs that delete memories.
/// The whole row also goes into <c>row_data</c> (<c>to_jsonb</c>), so ACMS columns this service does not know are kept.
/// </summary>
internal static class ArchiveSql
{
    /// <summary>The <c>memory_items</c> columns this service knows (ACMS core + <c>last_decayed_at</c>).</summary>
    public const string MemoryColumns = """
        memory_id, user_id, content, content_hash, encrypted_content, embedding_vector_id, tier, phase, tags,
        crs_score, semantic_score, recency_score, outcome_score, frequency_score, correction_score, access_count,
        last_accessed, created_at, updated_at, checkpoint, metadata_json, privacy_level, owner_id, confidence_score,
        flagged, flagged_reason, feedback_summary, last_decayed_at
        """;

    public const string OutcomeColumns = """
        outcome_id, memory_id, query_id, outcome_type, feedback_score, description, "timestamp", metadata_json
        """;

    public const string ArchiveColumns = "row_data, archive_run_id, archive_reason, archived_at, merged_into";

    public const string Dedup = "dedup";
    public const string Cleanup = "cleanup";
}
