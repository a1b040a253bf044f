using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// How far topic extraction is behind: the <c>created_at</c> of the oldest Q&amp;A after the extraction watermark of the
/// current extractor version (every row up to the watermark has been examined). One index probe on
/// <c>(created_at, query_id)</c>, cheap enough for health checks and the metrics gauge. Rows that arrive late with an
/// older <c>created_at</c> than the watermark are not seen here (the run's late-arrival window picks them up).
/// Not a batch of the job, so not through <see cref="JobBatches"/>: a health check or gauge answers within its own
/// timeout instead of riding out a failover for minutes (the batches' retry budget).
/// </summary>
public sealed class TopicExtractionLag(NpgsqlDataSource dataSource, IOptionsMonitor<TopicExtractionOptions> options)
{
    private const string OldestPendingSql = """
        SELECT (
            SELECT q.created_at FROM query_history q
            WHERE q.created_at IS NOT NULL
              AND (q.created_at, q.query_id) > (COALESCE(w.created_at, '-infinity'::timestamptz), COALESCE(w.query_id, '00000000-0000-0000-0000-000000000000'::uuid))
            ORDER BY q.created_at, q.query_id
            LIMIT 1)
        FROM (SELECT 1) AS one
        LEFT JOIN topic_extraction_watermarks w ON w.extractor_version = @Version
        """;

    /// <summary>The <c>created_at</c> of the oldest Q&amp;A not yet examined, or null when extraction is up to date.</summary>
    public async Task<DateTime?> OldestPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var oldest = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            OldestPendingSql, new { Version = options.CurrentValue.ExtractorVersion }, cancellationToken: cancellationToken));
        return oldest is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;
    }
}
