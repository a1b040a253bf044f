using Dapper;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>A run's <c>job_run_batches</c> records checked against its ledger row.</summary>
public static class BatchRecords
{
    /// <summary>
    /// One record per committed batch, numbered 1..n with no gap, n = the ledger's batch count, and the ledger's affected
    /// count = the records' rows. Returns n.
    /// </summary>
    public static async Task<long> AssertMatchLedgerAsync(NpgsqlDataSource dataSource, Guid runId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var (records, maxBatch, rows, ledgerBatches, ledgerAffected) = await connection.QuerySingleAsync<(long, long, long, long, long)>("""
            SELECT (SELECT count(*) FROM job_run_batches WHERE job_run_id = @runId),
                   (SELECT COALESCE(max(batch_no), 0)::bigint FROM job_run_batches WHERE job_run_id = @runId),
                   (SELECT COALESCE(sum(rows_affected), 0)::bigint FROM job_run_batches WHERE job_run_id = @runId),
                   r.progress_batches, r.affected_count::bigint
            FROM job_runs r WHERE r.job_run_id = @runId
            """, new { runId });
        Assert.Equal(records, maxBatch);
        Assert.Equal(ledgerBatches, records);
        Assert.Equal(ledgerAffected, rows);
        return records;
    }
}
