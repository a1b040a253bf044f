namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The batches of one walk, in key order, with up to <c>ahead</c> reads running ahead of the batch being scored and
/// written (0: each read starts when its batch is asked for, as beside live traffic). A batch read (its privacy levels included) is the run's critical path; a read can only start where the one
/// before it ends, so each read's end is found first by a cheap bound query (the key of the <c>BatchSize</c>-th row
/// after its start), and the read takes the range up to it. Where no bound exists (fewer than <c>BatchSize</c> rows
/// left) the read is the walk's last kind: the next <c>BatchSize</c> rows, and the walk goes on after its last row
/// once it is in; so it does after a range read cut short (<see cref="TopicReadBatch.Bounded"/>). Batches are handed out in order whatever order their reads finish in, so the batches written, and
/// the watermark, are the same however far it reads ahead.
/// </summary>
internal sealed class TopicBatchReader(
    int ahead,
    (DateTime AfterAt, Guid AfterId) start,
    Func<(DateTime AfterAt, Guid AfterId), CancellationToken, Task<(DateTime UpToAt, Guid UpToId)?>> boundOf,
    Func<(DateTime AfterAt, Guid AfterId), (DateTime UpToAt, Guid UpToId)?, Task<TopicReadBatch>> read)
{
    private readonly Queue<Task<TopicReadBatch>> _reads = new();

    // Where the next read starts; null while the walk's last (unbounded) read is in flight.
    private (DateTime AfterAt, Guid AfterId)? _next = start;

    /// <summary>The next batch with rows in it, or null at the end of the walk.</summary>
    public async Task<TopicReadBatch?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await FillAsync(cancellationToken);
            if (!_reads.TryDequeue(out var pending))
            {
                return null;
            }

            var batch = await pending;
            if (!batch.Bounded)
            {
                if (batch.Candidates.Count == 0)
                {
                    return null;
                }

                // A range cut short by its cap: the reads after it start past rows it did not reach, so they are
                // dropped and the walk goes on after its last row.
                await DrainAsync(_ => { });
                _next = TopicWalkPlan.Next(batch.Candidates[^1]);
            }

            // Without read-ahead (beside live traffic) the next read starts when the caller asks for it.
            if (ahead > 0)
            {
                await FillAsync(cancellationToken);
            }

            // A range can come back empty when its rows were deleted after its bound was read; the walk goes on.
            if (batch.Candidates.Count > 0)
            {
                return batch;
            }
        }
    }

    /// <summary>Waits for the reads still running (after a failure: none may outlive the run); each error goes to <paramref name="failed"/>.</summary>
    public async Task DrainAsync(Action<Exception> failed)
    {
        while (_reads.TryDequeue(out var pending))
        {
            try
            {
                await pending;
            }
            catch (Exception ex)
            {
                failed(ex);
            }
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        while (_reads.Count < Math.Max(ahead, 1) && _next is { } after)
        {
            var upTo = await boundOf(after, cancellationToken);
            _reads.Enqueue(read(after, upTo));
            _next = upTo;
        }
    }
}
