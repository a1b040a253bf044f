using Acms.Domain.Archive;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acms.Domain.Jobs.Cleanup;

/// <summary>
/// Deletes stale low-value memories in keyset batches of <c>BatchSize</c> (by <c>memory_id</c>), each batch archived with its
/// outcomes in the same transaction as its delete, then purges archive rows past their retention, batched too.
/// A kill at any moment loses nothing: a batch is archived and deleted together or not at all. Every batch (the purges'
/// too) is one <see cref="JobBatches.ApplyAsync{T}"/> transaction fenced by the run's lease; the run's affected count is
/// the memories archived and deleted, so purge batches are recorded with 0 rows (their counts are in the details).
/// </summary>
public sealed class CleanupJob(JobBatches batches, IOptionsSnapshot<CleanupOptions> options, ILogger<CleanupJob> logger) : IJob
{
    // The rule, kept in one place for the batch and the dry run. All instants come from the run's reference time.
    // Plan (1M rows, 40% SHORT): Limit -> LockRows -> Index Scan using ix_memory_items_tier_memory_id
    //   Index Cond: ((tier = 'SHORT') AND (memory_id > $after)), Filter: the age, score and access conditions.
    private const string Candidate = """
        tier = @Tier
        AND created_at < @CreatedBefore
        AND outcome_score < @OutcomeBelow
        AND frequency_score < @FrequencyBelow
        AND (last_accessed IS NULL OR last_accessed < @AccessedBefore)
        """;

    // Statement 1 of a batch: lock the next candidates in key order. Locking first (its own statement) means statement 2
    // runs on a snapshot taken after the locks are held: no outcome can be added to a locked memory (the foreign key
    // needs a share lock on it), so every outcome the cascade deletes is in statement 2's archive copy.
    private const string LockSql = $"""
        SELECT memory_id FROM memory_items
        WHERE memory_id > @After AND {Candidate}
        ORDER BY memory_id
        LIMIT @BatchSize
        FOR UPDATE
        """;

    // Statement 2: archive the locked memories and their outcomes, then delete the memories (outcomes go by cascade).
    private const string ArchiveAndDeleteSql = $"""
        WITH archived AS (
            INSERT INTO memory_items_archive ({ArchiveSql.MemoryColumns}, {ArchiveSql.ArchiveColumns})
            SELECT {ArchiveSql.MemoryColumns}, to_jsonb(m), @RunId, '{ArchiveSql.Cleanup}', @Now, NULL
            FROM memory_items m
            WHERE m.memory_id = ANY(@Ids)
            RETURNING memory_id
        ),
        archived_outcomes AS (
            INSERT INTO outcomes_archive ({ArchiveSql.OutcomeColumns}, {ArchiveSql.ArchiveColumns})
            SELECT {ArchiveSql.OutcomeColumns}, to_jsonb(o), @RunId, '{ArchiveSql.Cleanup}', @Now, NULL
            FROM outcomes o
            WHERE o.memory_id = ANY(@Ids)
            RETURNING 1
        ),
        deleted AS (
            DELETE FROM memory_items m
            USING archived a
            WHERE m.memory_id = a.memory_id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM deleted) AS Deleted, (SELECT count(*) FROM archived_outcomes) AS Outcomes
        """;

    // Whether a candidate lies past @After: read before the first batch and after a short one, so the run ends on a read
    // instead of committing a batch that finds nothing. (A short batch alone doesn't prove the end: under READ COMMITTED a
    // row changed since the scan is re-checked and can drop out of a LIMIT ... FOR UPDATE.)
    private const string AnyCandidateAfterSql = $"SELECT EXISTS (SELECT 1 FROM memory_items WHERE memory_id > @After AND {Candidate})";

    private const string DryRunSql = $"""
        SELECT user_id AS UserId, count(*) AS Count
        FROM memory_items
        WHERE {Candidate}
        GROUP BY user_id
        ORDER BY count(*) DESC, user_id
        """;

    private const string PurgeMemoriesSql = """
        WITH doomed AS (
            SELECT archive_id FROM memory_items_archive
            WHERE archived_at < @PurgeBefore
            ORDER BY archived_at, archive_id
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
        )
        DELETE FROM memory_items_archive a USING doomed d WHERE a.archive_id = d.archive_id
        """;

    private const string PurgeOutcomesSql = """
        WITH doomed AS (
            SELECT archive_id FROM outcomes_archive
            WHERE archived_at < @PurgeBefore
            ORDER BY archived_at, archive_id
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
        )
        DELETE FROM outcomes_archive a USING doomed d WHERE a.archive_id = d.archive_id
        """;

    private const string CountPurgeSql = """
        SELECT (SELECT count(*) FROM memory_items_archive WHERE archived_at < @PurgeBefore) AS Memories,
               (SELECT count(*) FROM outcomes_archive WHERE archived_at < @PurgeBefore) AS Outcomes
        """;

    /// <summary>Users listed one by one in a dry run's details; the total is always given.</summary>
    public const int DryRunUserListCap = 1_000;

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var rule = new
        {
            o.Tier,
            CreatedBefore = context.Now - TimeSpan.FromDays(o.AgeDays),
            AccessedBefore = context.Now - TimeSpan.FromDays(o.IdleDays),
            OutcomeBelow = o.OutcomeScoreBelow,
            FrequencyBelow = o.FrequencyScoreBelow,
        };
        var purgeBefore = o.ArchiveRetentionDays > 0 ? context.Now - TimeSpan.FromDays(o.ArchiveRetentionDays) : (DateTime?)null;
        context.Details["tier"] = o.Tier;
        context.Details["age_days"] = o.AgeDays;
        context.Details["idle_days"] = o.IdleDays;
        context.Details["outcome_score_below"] = o.OutcomeScoreBelow;
        context.Details["frequency_score_below"] = o.FrequencyScoreBelow;
        context.Details["archive_retention_days"] = o.ArchiveRetentionDays;
        context.Details["run_history_retention_days"] = o.RunHistoryRetentionDays;
        var runsBefore = o.RunHistoryRetentionDays > 0 ? context.Now - TimeSpan.FromDays(o.RunHistoryRetentionDays) : (DateTime?)null;

        if (context.DryRun)
        {
            await DryRunAsync(context, rule, purgeBefore, cancellationToken);
            if (runsBefore is { } cut)
            {
                context.Details["would_purge_job_runs"] = await batches.ReadAsync((connection, ct) => RunHistoryRetention.CountAsync(connection, cut, ct), cancellationToken);
            }

            return;
        }

        long deleted = 0, outcomes = 0;
        var deleteBatches = 0;
        var after = Guid.Empty;
        var full = false;
        while (full || await AnyCandidateAfterAsync(rule, after, cancellationToken))
        {
            var batch = await batches.ApplyAsync(context, async (connection, tx, ct) =>
            {
                var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(LockSql, new
                {
                    After = after,
                    o.BatchSize,
                    rule.Tier,
                    rule.CreatedBefore,
                    rule.AccessedBefore,
                    rule.OutcomeBelow,
                    rule.FrequencyBelow,
                }, tx, cancellationToken: ct))).AsList();
                if (ids.Count == 0)
                {
                    return (LastId: (Guid?)null, Deleted: 0L, Outcomes: 0L, Full: false);
                }

                var done = await connection.QuerySingleAsync<(long Deleted, long Outcomes)>(new CommandDefinition(ArchiveAndDeleteSql,
                    new { Ids = ids.ToArray(), context.RunId, context.Now }, tx, cancellationToken: ct));
                return (LastId: (Guid?)ids[^1], done.Deleted, done.Outcomes, Full: ids.Count == o.BatchSize);
            }, b => b.Deleted, cancellationToken);

            if (batch.LastId is not { } lastId)
            {
                break; // the candidates seen by the read were changed or removed before the batch locked them
            }

            after = lastId;
            full = batch.Full;
            deleteBatches++;
            deleted += batch.Deleted;
            outcomes += batch.Outcomes;
            context.AddInput(batch.Deleted);
            context.AddOutput(batch.Deleted);
            context.Details["deleted"] = deleted;
            context.Details["outcomes_archived"] = outcomes;
            logger.LogDebug("Cleanup batch {Batch}: {Deleted} memories archived and deleted up to {LastId}", deleteBatches, batch.Deleted, lastId);
        }

        context.Details["deleted"] = deleted;
        context.Details["outcomes_archived"] = outcomes;
        context.Details["batches"] = deleteBatches;

        var (purgedMemories, purgedOutcomes) = (0L, 0L);
        if (purgeBefore is { } before)
        {
            var due = await batches.ReadAsync((connection, ct) => connection.QuerySingleAsync<(long Memories, long Outcomes)>(
                new CommandDefinition(CountPurgeSql, new { PurgeBefore = before }, cancellationToken: ct)), cancellationToken);
            purgedMemories = await PurgeAsync(context, PurgeMemoriesSql, due.Memories, before, o.BatchSize, cancellationToken);
            purgedOutcomes = await PurgeAsync(context, PurgeOutcomesSql, due.Outcomes, before, o.BatchSize, cancellationToken);
        }

        context.Details["archive_rows_purged"] = purgedMemories;
        context.Details["outcome_archive_rows_purged"] = purgedOutcomes;
        var (runsPurged, runBatchesPurged) = runsBefore is { } runsCut
            ? await RunHistoryRetention.PurgeAsync(batches, context, runsCut, o.BatchSize, cancellationToken)
            : (0L, 0L);
        context.Details["job_runs_purged"] = runsPurged;
        context.Details["job_run_batches_purged"] = runBatchesPurged;
        logger.LogInformation("Cleanup deleted {Deleted} memories ({Outcomes} outcomes) in {Batches} batches; purged {Purged} archived memories and {PurgedOutcomes} archived outcomes",
            deleted, outcomes, deleteBatches, purgedMemories, purgedOutcomes);
    }

    private Task<bool> AnyCandidateAfterAsync(object rule, Guid after, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(rule);
        parameters.Add("After", after);
        return batches.ReadAsync((connection, ct) =>
            connection.ExecuteScalarAsync<bool>(new CommandDefinition(AnyCandidateAfterSql, parameters, cancellationToken: ct)), cancellationToken);
    }

    /// <summary>Purges the oldest due rows in batches: only this job deletes archive rows, under its lease.</summary>
    private async Task<long> PurgeAsync(JobContext context, string sql, long due, DateTime purgeBefore, int batchSize, CancellationToken cancellationToken) =>
        due == 0 ? 0 : (await batches.ApplyUntilShortAsync(context, (connection, tx, ct) =>
                connection.ExecuteAsync(new CommandDefinition(sql, new { PurgeBefore = purgeBefore, BatchSize = batchSize }, tx, cancellationToken: ct)),
            purged => purged, _ => 0, batchSize, cancellationToken)).Sum();

    private async Task DryRunAsync(JobContext context, object rule, DateTime? purgeBefore, CancellationToken cancellationToken)
    {
        var perUser = await batches.ReadAsync(async (connection, ct) =>
            (await connection.QueryAsync<(Guid UserId, long Count)>(new CommandDefinition(DryRunSql, rule, cancellationToken: ct))).AsList(), cancellationToken);
        var total = perUser.Sum(u => u.Count);
        context.AddAffected(total);
        context.Details["would_delete"] = total;
        context.Details["users_affected"] = perUser.Count;
        context.Details["per_user"] = perUser.Take(DryRunUserListCap).Select(u => new Dictionary<string, object> { ["user_id"] = u.UserId, ["count"] = u.Count }).ToList();

        var purge = purgeBefore is { } before
            ? await batches.ReadAsync((connection, ct) =>
                connection.QuerySingleAsync<(long Memories, long Outcomes)>(new CommandDefinition(CountPurgeSql, new { PurgeBefore = before }, cancellationToken: ct)), cancellationToken)
            : (Memories: 0L, Outcomes: 0L);
        context.Details["would_purge_archive_rows"] = purge.Memories;
        context.Details["would_purge_outcome_archive_rows"] = purge.Outcomes;
    }
}
