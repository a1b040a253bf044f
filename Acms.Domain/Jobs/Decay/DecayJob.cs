using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acms.Domain.Jobs.Decay;

/// <summary>
/// Per day, not per run: a memory idle since <c>COALESCE(last_accessed, created_at)</c> starts decaying
/// <c>GraceDays</c> later, or at <c>last_decayed_at</c> if that is later. The whole days <c>d</c> since then are
/// applied at once as <c>score × (1 − rate)^d</c> (never below the floor, never raising a score already under it),
/// and <c>last_decayed_at</c> advances by exactly <c>d</c> days, so a second run on the same day changes nothing
/// and a job that missed days catches up once.
/// </summary>
/// <remarks>
/// The table is walked in physical order (keyset over <c>ctid</c>, in windows of about <c>BatchSize</c> rows' worth of
/// pages), so every batch is a TID range scan of the next pages rather than a walk of the primary key in random heap
/// order: the run costs about what one UPDATE over the whole table costs (see bench/README.md). Rows the job rewrites
/// move to pages it does not visit again, and could not qualify again anyway (their <c>last_decayed_at</c> is now less
/// than a day old). A row moved by a concurrent writer to a page already walked is left for the next run, which
/// applies exactly the days it missed. Every batch is one <see cref="JobBatches.ApplyAsync{T}"/> transaction fenced by the
/// run's lease; a window with nothing to decay is passed over on a read, and a batch looks one row ahead to know its
/// window is done, so no transaction is spent on a batch that would find nothing.
/// </remarks>
public sealed class DecayJob(JobBatches batches, IOptionsSnapshot<DecayOptions> options, ILogger<DecayJob> logger) : IJob
{
    // Rows whose decay start lies at least one whole day before @Now. Kept in one place for the batch and the dry run.
    private const string Eligible = """
        COALESCE(last_accessed, created_at) <= @Now - @Grace - interval '1 day'
        AND (last_decayed_at IS NULL OR last_decayed_at <= @Now - interval '1 day')
        """;

    private const string CountSql = $"SELECT count(*) FROM memory_items WHERE {Eligible}";

    private const string DecayFrom = "GREATEST(COALESCE(last_accessed, created_at) + @Grace, COALESCE(last_decayed_at, '-infinity'::timestamptz))";
    private const string Days = $"floor(extract(epoch FROM (@Now - {DecayFrom})) / 86400)::int";

    // The table's size in pages when the run starts, and its rows per page as last analysed (0 when never analysed).
    private const string ShapeSql = """
        SELECT pg_relation_size('memory_items') / current_setting('block_size')::bigint AS Pages,
               CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN c.reltuples / c.relpages ELSE 0 END AS RowsPerPage
        FROM pg_class c WHERE c.oid = 'memory_items'::regclass
        """;

    // Whether the window (after @After, before @Until) holds any row to decay: a Tid Range Scan that stops at the first.
    private const string WindowHasWorkSql = $"SELECT EXISTS (SELECT 1 FROM memory_items WHERE ctid > @After::tid AND ctid < @Until::tid AND {Eligible})";

    // One batch: the next @BatchSize eligible rows after @After in physical order within the window ending at @Until,
    // decayed in place; one more row is looked at to tell whether the window has more. The UPDATE rechecks eligibility
    // and computes the days from the row version it updates, so a concurrent access wins (READ COMMITTED re-evaluates a
    // row changed since it was picked).
    private const string BatchSql = $"""
        WITH ahead AS MATERIALIZED (
            SELECT ctid AS tid
            FROM memory_items
            WHERE ctid > @After::tid AND ctid < @Until::tid AND {Eligible}
            ORDER BY ctid
            LIMIT @BatchSize + 1
        ),
        picked AS MATERIALIZED (
            SELECT tid FROM ahead ORDER BY tid LIMIT @BatchSize
        ),
        decayed AS (
            UPDATE memory_items
            SET crs_score       = CASE WHEN crs_score       <= @Floor THEN crs_score       ELSE GREATEST(@Floor, crs_score       * power(@Factor, {Days})) END,
                outcome_score   = CASE WHEN outcome_score   <= @Floor THEN outcome_score   ELSE GREATEST(@Floor, outcome_score   * power(@Factor, {Days})) END,
                frequency_score = CASE WHEN frequency_score <= @Floor THEN frequency_score ELSE GREATEST(@Floor, frequency_score * power(@Factor, {Days})) END,
                last_decayed_at = {DecayFrom} + {Days} * interval '1 day'
            WHERE ctid = ANY (ARRAY(SELECT tid FROM picked)) AND {Eligible}
            RETURNING 1
        )
        SELECT (SELECT max(tid) FROM picked)::text AS LastTid,
               (SELECT count(*) FROM picked) AS Picked,
               (SELECT count(*) FROM ahead) > @BatchSize AS More,
               (SELECT count(*) FROM decayed) AS Affected
        """;

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var parameters = new DynamicParameters(new
        {
            context.Now,
            Grace = TimeSpan.FromDays(o.GraceDays),
            Factor = 1.0 - o.Rate,
            o.Floor,
            o.BatchSize,
        });
        context.Details["decay_rate"] = o.Rate;
        context.Details["idle_days"] = o.GraceDays;
        context.Details["floor"] = o.Floor;

        if (context.DryRun)
        {
            var wouldDecay = await batches.ReadAsync((connection, ct) =>
                connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, parameters, cancellationToken: ct)), cancellationToken);
            context.AddAffected(wouldDecay);
            context.Details["would_decay"] = wouldDecay;
            return;
        }

        var (pages, rowsPerPage) = await batches.ReadAsync((connection, ct) =>
            connection.QuerySingleAsync<(long Pages, double RowsPerPage)>(new CommandDefinition(ShapeSql, cancellationToken: ct)), cancellationToken);
        // A window holds about BatchSize rows, so sorting it is cheap and each page is read by one batch (50 rows/page
        // when the table was never analysed).
        var windowPages = Math.Max(1L, (long)Math.Ceiling(o.BatchSize / (rowsPerPage > 0 ? rowsPerPage : 50)));

        var windowStart = 0L;
        var after = "(0,0)";
        var decayBatches = 0;
        var inWindow = false;
        while (windowStart < pages)
        {
            var until = windowStart + windowPages;
            parameters.Add("After", after);
            parameters.Add("Until", $"({until},0)");
            if (!inWindow && !await batches.ReadAsync((connection, ct) =>
                    connection.ExecuteScalarAsync<bool>(new CommandDefinition(WindowHasWorkSql, parameters, cancellationToken: ct)), cancellationToken))
            {
                windowStart = until; // nothing to decay here
                after = $"({until},0)";
                continue;
            }

            var batch = await batches.ApplyAsync(context, (connection, tx, ct) =>
                connection.QuerySingleAsync<(string? LastTid, long Picked, bool More, long Affected)>(new CommandDefinition(BatchSql, parameters, tx, cancellationToken: ct)),
                b => b.Affected, cancellationToken);

            if (batch.Picked > 0)
            {
                decayBatches++;
                context.AddInput(batch.Affected);
                logger.LogDebug("Decay batch {Batch}: {Affected} memories decayed up to {LastTid}", decayBatches, batch.Affected, batch.LastTid);
            }

            if (batch is { More: true, LastTid: { } lastTid })
            {
                after = lastTid; // more eligible rows remain in this window
                inWindow = true;
            }
            else
            {
                windowStart = until; // the window is done
                after = $"({until},0)";
                inWindow = false;
            }
        }

        context.Details["batches"] = decayBatches;
    }
}
