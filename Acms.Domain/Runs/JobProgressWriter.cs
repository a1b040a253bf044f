using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Runs;

/// <summary>
/// Writes a running run's live progress (rows so far, batches, last batch at) to its ledger row as batches commit.
/// One write is in flight at a time and the latest figures win, so fast batches cost at most one extra write each;
/// a failed write is logged and never fails the run. Dispose waits for the last write.
/// </summary>
internal sealed class JobProgressWriter(NpgsqlDataSource dataSource, JobContext context, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Task _writer = Task.CompletedTask;
    private bool _dirty;
    private bool _writing;

    public void OnBatchCommitted(object? sender, EventArgs e)
    {
        lock (_gate)
        {
            _dirty = true;
            if (!_writing)
            {
                _writing = true;
                _writer = Task.Run(WriteLatestAsync);
            }
        }
    }

    private async Task WriteLatestAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (!_dirty)
                {
                    _writing = false;
                    return;
                }

                _dirty = false;
            }

            try
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                // Only while running: a late write can never overwrite the finished row.
                await connection.ExecuteAsync("""
                    UPDATE job_runs SET progress_rows = @Rows, progress_batches = @Batches, last_batch_at = @At
                    WHERE job_run_id = @RunId AND status = 'running'
                    """, new { context.RunId, Rows = context.AffectedCount, context.Batches, At = time.GetUtcNow().UtcDateTime });
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Run {RunId}: could not record progress; the run goes on", context.RunId);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task writer;
        lock (_gate)
        {
            writer = _writer;
        }

        await writer;
    }
}
