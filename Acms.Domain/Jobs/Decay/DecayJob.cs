using Acms.Domain.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.Decay;

/// <summary>
/// Per day, not per run: a memory idle since <c>COALESCE(last_accessed, created_at)</c> starts decaying
/// <c>GraceDays</c> later, or at <c>last_decayed_at</c> if that is later. The whole days <c>d</c> since then are
/// applied at once as <c>score × (1 − rate)^d</c> (never below the floor, never raising a score already under it),
/// and <c>last_decayed_at</c> advances by exactly <c>d</c> days, so a second run on the same day changes nothing
/// and a job that missed days catches up once.
/// </summary>
public sealed class DecayJob(NpgsqlDataSource dataSource, IOptionsSnapshot<DecayOptions> options, TimeProvider time, ILogger<DecayJob> logger) : IJob
{
    // Rows whose decay start lies at least one whole day before @Now. Kept in one place for the batch and the dry run.
    private const string Eligible = """
        COALESCE(last_accessed, created_at) <= @Now - @Grace - interval '1 day'
        AND (last_decayed_at IS NULL OR last_decayed_at <= @Now - interval '1 day')
        """;

    private const string CountSql = $"SELECT count(*) FROM memory_items WHERE {Eligible}";

    // One batch: lock the next @BatchSize eligible rows in key order, decay them, report the last key seen.
    // FOR UPDATE makes the day count come from the row as it is when locked (a concurrent access wins).
    private const string BatchSql = $"""
        WITH batch AS (
            SELECT memory_id, decay_from, floor(extract(epoch FROM (@Now - decay_from)) / 86400)::int AS days
            FROM (
                SELECT memory_id,
                       GREATEST(COALESCE(last_accessed, created_at) + @Grace,
                                COALESCE(last_decayed_at, '-infinity'::timestamptz)) AS decay_from
                FROM memory_items
                WHERE memory_id > @After AND {Eligible}
                ORDER BY memory_id
                LIMIT @BatchSize
                FOR UPDATE
            ) locked
        ),
        decayed AS (
            UPDATE memory_items AS m
            SET crs_score       = CASE WHEN m.crs_score       <= @Floor THEN m.crs_score       ELSE GREATEST(@Floor, m.crs_score       * power(@Factor, b.days)) END,
                outcome_score   = CASE WHEN m.outcome_score   <= @Floor THEN m.outcome_score   ELSE GREATEST(@Floor, m.outcome_score   * power(@Factor, b.days)) END,
                frequency_score = CASE WHEN m.frequency_score <= @Floor THEN m.frequency_score ELSE GREATEST(@Floor, m.frequency_score * power(@Factor, b.days)) END,
                last_decayed_at = b.decay_from + b.days * interval '1 day'
            FROM batch b
            WHERE m.memory_id = b.memory_id AND b.days >= 1
            RETURNING 1
        )
        SELECT (SELECT memory_id FROM batch ORDER BY memory_id DESC LIMIT 1) AS LastId,
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
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var wouldDecay = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, parameters, cancellationToken: cancellationToken));
            context.AddAffected(wouldDecay);
            context.Details["would_decay"] = wouldDecay;
            return;
        }

        var after = Guid.Empty;
        var batches = 0;
        while (true)
        {
            parameters.Add("After", after);
            var batch = await Transient.RetryAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return await connection.QuerySingleAsync<(Guid? LastId, long Affected)>(new CommandDefinition(BatchSql, parameters, cancellationToken: ct));
            }, time, logger, cancellationToken);

            if (batch.LastId is not { } lastId)
            {
                break;
            }

            batches++;
            after = lastId;
            context.AddAffected(batch.Affected);
            context.AddInput(batch.Affected);
            logger.LogDebug("Decay batch {Batch}: {Affected} memories decayed up to {LastId}", batches, batch.Affected, lastId);
        }

        context.Details["batches"] = batches;
    }
}
