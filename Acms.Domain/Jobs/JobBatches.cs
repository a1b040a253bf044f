using Acms.Domain.Database;
using Dapper;
using Npgsql;

namespace Acms.Domain.Jobs;

/// <summary>
/// The one way a job touches the database. <see cref="ReadAsync"/> runs a read on a pooled connection;
/// <see cref="ApplyAsync"/> runs a batch in one transaction that first renews the run's lease (so a run that lost its
/// lease cannot apply a batch), then applies the batch and records it in <c>job_run_batches</c>, then commits.
/// Both are retried as a whole while the fault is transient (<see cref="DatabaseRetry"/>). A committed batch is reported
/// to the run here (<see cref="JobContext.CommitBatch"/>), so progress and the batch record always agree; then the run
/// rests for its <see cref="JobOptions.Pace"/> times the batch's duration.
/// </summary>
public sealed class JobBatches(NpgsqlDataSource dataSource, DatabaseRetry retry, TimeProvider time)
{
    private const string RecordSql = """
        INSERT INTO job_run_batches (job_run_id, batch_no, fencing_token, committed_at, rows_affected)
        VALUES (@RunId, @Batch, @Token, @Now, @Rows)
        ON CONFLICT (job_run_id, batch_no) DO NOTHING
        """;

    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        retry.WithConnectionAsync(dataSource, read, cancellationToken);

    /// <summary>Now, on the clock the rests are measured with (for <c>workStarted</c> of <see cref="ApplyAsync{T}"/>).</summary>
    public long Timestamp() => time.GetTimestamp();

    /// <summary>
    /// Applies <paramref name="batch"/> (each one <see cref="ApplyAsync{T}"/> transaction) until one picks fewer than
    /// <paramref name="batchSize"/> rows: the loop of a purge that deletes the oldest rows first, so it ends on a short
    /// batch and spends no transaction on a batch that would find nothing.
    /// </summary>
    /// <param name="picked">The rows the batch picked, compared with <paramref name="batchSize"/>.</param>
    /// <returns>Every batch's result, in order.</returns>
    public async Task<IReadOnlyList<T>> ApplyUntilShortAsync<T>(
        JobContext context,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> batch,
        Func<T, long> picked,
        Func<T, long> rowsOf,
        int batchSize,
        CancellationToken cancellationToken)
    {
        var results = new List<T>();
        T last;
        do
        {
            last = await ApplyAsync(context, batch, rowsOf, cancellationToken);
            results.Add(last);
        }
        while (picked(last) >= batchSize);

        return results;
    }

    /// <param name="context">The run; outside the runner (no lease) the batch is applied unfenced.</param>
    /// <param name="batch">The batch's statements, on the given connection and transaction.</param>
    /// <param name="rowsOf">The rows the batch changed, for the batch record and the run's affected count.</param>
    /// <param name="workStarted">
    /// When the batch's work began (a <see cref="Timestamp"/>), for a job that reads and analyses a batch before it
    /// writes it: the rest is then <see cref="JobOptions.Pace"/> times all of that work, not only the write.
    /// </param>
    /// <exception cref="Leases.LeaseLostException">Another run holds the job now; nothing of this batch was applied.</exception>
    public async Task<T> ApplyAsync<T>(
        JobContext context,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> batch,
        Func<T, long> rowsOf,
        CancellationToken cancellationToken,
        long? workStarted = null)
    {
        // One number per batch, kept across retries: a retry after a commit whose answer was lost records nothing twice.
        var batchNo = context.NextBatchNumber();
        var started = workStarted ?? time.GetTimestamp();
        var applied = await retry.ExecuteAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var now = time.GetUtcNow().UtcDateTime;
            if (context.Lease is { } lease)
            {
                await lease.RenewAsync(connection, transaction, now, ct);
            }

            var result = await batch(connection, transaction, ct);
            if (context.Lease is { } held)
            {
                await connection.ExecuteAsync(new CommandDefinition(RecordSql,
                    new { context.RunId, Batch = batchNo, held.Token, Now = now, Rows = rowsOf(result) }, transaction, cancellationToken: ct));
            }

            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
        context.CommitBatch(rowsOf(applied));

        // Committed first, then the rest: a kill during it loses nothing.
        await RestAsync(context, started, cancellationToken);
        return applied;
    }

    /// <summary>
    /// Rests for the run's <see cref="JobOptions.Pace"/> times the work since <paramref name="workStarted"/> (a
    /// <see cref="Timestamp"/>). <see cref="ApplyAsync{T}"/> does it after each batch; a job calls it itself after work
    /// that ended with no batch to apply (a dedup scan that found nothing to merge), which beside live traffic must rest too.
    /// </summary>
    public Task RestAsync(JobContext context, long workStarted, CancellationToken cancellationToken) =>
        context.Pace > 0 ? Task.Delay(time.GetElapsedTime(workStarted) * context.Pace, time, cancellationToken) : Task.CompletedTask;
}
