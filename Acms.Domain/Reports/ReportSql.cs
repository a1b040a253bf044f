namespace Acms.Domain.Reports;

/// <summary>The statements of <see cref="ReportService"/>: one report per type, scope, user and period.</summary>
internal static class ReportSql
{
    public const string Columns = """
        id AS Id, report_type AS ReportType, scope AS Scope, user_id AS UserId, period_start AS PeriodStart, period_end AS PeriodEnd,
        title AS Title, summary AS Summary, executive_summary_md AS ExecutiveSummaryMd, top_topics::text AS TopTopics,
        insights::text AS Insights, recommendations::text AS Recommendations, metrics::text AS Metrics,
        generated_by AS GeneratedBy, COALESCE(generation_time_ms, 0) AS GenerationTimeMs, created_at AS CreatedAt
        """;

    public const string ById = $"SELECT {Columns} FROM intelligence_reports WHERE id = @id";

    // Newest first; @VisibleTo limits a person's view to their own reports and the organisation's.
    public const string List = """
        SELECT id AS Id, report_type AS ReportType, scope AS Scope, user_id AS UserId, period_start AS PeriodStart,
               period_end AS PeriodEnd, title AS Title, summary AS Summary, created_at AS CreatedAt
        FROM intelligence_reports
        WHERE (@Scope::text IS NULL OR scope = @Scope) AND (@UserId::uuid IS NULL OR user_id = @UserId)
          AND (@VisibleTo::uuid IS NULL OR scope = 'org' OR user_id = @VisibleTo)
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    public const string Upsert = """
        INSERT INTO intelligence_reports (id, user_id, report_type, scope, period_start, period_end, title, summary, executive_summary_md,
                                          top_topics, insights, recommendations, metrics, generated_by, generation_time_ms, created_at, updated_at)
        VALUES (@Id, @UserId, @ReportType, @Scope, @PeriodStart, @PeriodEnd, @Title, @Summary, @ExecutiveSummaryMd,
                CAST(@TopTopics AS jsonb), CAST(@Insights AS jsonb), CAST(@Recommendations AS jsonb), CAST(@Metrics AS jsonb),
                @GeneratedBy, @GenerationTimeMs, @Now, @Now)
        ON CONFLICT (report_type, scope, (COALESCE(user_id, '00000000-0000-0000-0000-000000000000'::uuid)), period_start, period_end)
        DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary, executive_summary_md = EXCLUDED.executive_summary_md,
                      top_topics = EXCLUDED.top_topics, insights = EXCLUDED.insights, recommendations = EXCLUDED.recommendations,
                      metrics = EXCLUDED.metrics, generated_by = EXCLUDED.generated_by, generation_time_ms = EXCLUDED.generation_time_ms,
                      updated_at = EXCLUDED.updated_at
        RETURNING id AS Id, created_at AS CreatedAt
        """;

    public const string JobMetrics = """
        SELECT job_name AS Job, COALESCE(sum(affected_count), 0)::bigint AS Affected
        FROM job_runs
        WHERE job_name IN ('decay', 'dedup', 'cleanup') AND status = 'succeeded' AND NOT dry_run
          AND started_at >= @Start AND started_at < @End
        GROUP BY job_name
        """;

    // A user's memories that dedup merged away or cleanup deleted in the period: the archive keeps each with its reason.
    public const string UserArchiveMetrics = """
        SELECT count(*) FILTER (WHERE archive_reason = 'dedup') AS Merged, count(*) FILTER (WHERE archive_reason = 'cleanup') AS Cleaned
        FROM memory_items_archive
        WHERE user_id = @UserId AND archived_at >= @Start AND archived_at < @End
        """;
}
