namespace Acms.Domain.Health;

internal static class HealthSql
{
    // One index probe per job (ix_job_runs_job_started) for its newest successful, real run.
    public const string LastSuccess = """
        SELECT j.name AS Job, s.started_at AS StartedAt
        FROM unnest(@Names::text[]) AS j(name)
        CROSS JOIN LATERAL (
            SELECT started_at FROM job_runs
            WHERE job_name = j.name AND status = 'succeeded' AND NOT dry_run
            ORDER BY started_at DESC LIMIT 1
        ) s
        """;

    public const string Migrations = "SELECT version AS Version, applied_at AS AppliedAt FROM acms_schema_migrations";
}
