using Acms.Domain.Common;
using Acms.Domain.Insights;
using Acms.Domain.Jobs.Leases;
using Acms.Domain.Privacy;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.InsightGeneration;

/// <summary>
/// For each active user with questions in the last <c>PeriodDays</c> (or the period before), and for the organisation:
/// topic trends and insights, written to <c>user_insights</c> for the period ending at the run's UTC day. Users are
/// analysed in batches with one set-based query per figure; a batch that fails is retried user by user so one user's
/// bad data fails only that user (counted in error_count), never the run. A re-run of the same day replaces the
/// period's rows. Topics asked by enough users are upserted into <c>org_knowledge</c> with counts only, from the rows
/// the privacy model lets into organisation outputs; a sample question only from a PUBLIC one. Each write (a batch of
/// users, each user of a failed batch, the org insights, org knowledge) is one <see cref="JobBatches.ApplyAsync{T}"/> batch
/// fenced by the run's lease; the analyses are read before it, so a batch's transaction holds only its writes.
/// </summary>
public sealed class InsightGenerationJob(
    JobBatches batches,
    IOptionsSnapshot<InsightGenerationOptions> options,
    IOptionsMonitor<IntelligenceSettings> intelligence,
    DeploymentSecrets secrets,
    ILogger<InsightGenerationJob> logger) : IJob
{
    private const string ReplaceSql = """
        DELETE FROM user_insights
        WHERE scope = @Scope AND COALESCE(user_id, '00000000-0000-0000-0000-000000000000'::uuid) = ANY(@Scopes)
          AND period_start = @Start AND period_end = @End;

        INSERT INTO user_insights (scope, user_id, period_start, period_end, insight_type, insight_key, title, description, evidence, confidence, created_at)
        SELECT @Scope, NULLIF(i.user_id, '00000000-0000-0000-0000-000000000000'::uuid), @Start, @End, i.insight_type, i.insight_key, i.title, i.description, i.evidence::jsonb, i.confidence, @Now
        FROM unnest(@UserIds, @Types, @Keys, @Titles, @Descriptions, @Evidence, @Confidences)
             AS i(user_id, insight_type, insight_key, title, description, evidence, confidence);
        """;

    private static readonly string OrgKnowledgeSql = $"""
        WITH topics AS (
            SELECT topic, count(DISTINCT t.user_id) AS user_count, count(*) AS query_count,
                   min(t.source_created_at) AS first_seen, max(t.source_created_at) AS last_seen
            FROM topic_extractions t CROSS JOIN LATERAL unnest(t.topics) AS topic
            WHERE t.extractor_version = @Version AND t.source_created_at >= @Start AND t.source_created_at < @End
              AND {PrivacySql.QuestionShareable("t.effective_privacy")}
            GROUP BY topic
            HAVING count(DISTINCT t.user_id) >= @MinUsers
        ),
        public_sample AS (
            SELECT DISTINCT ON (topic) topic, q.query_text
            FROM topics
            JOIN topic_extractions t ON t.extractor_version = @Version AND t.topics @> ARRAY[topics.topic]
                 AND t.source_created_at >= @Start AND t.source_created_at < @End
            JOIN query_history q ON q.query_id = t.source_id
            WHERE {PrivacySql.TextPublic("t.effective_privacy")}
            ORDER BY topic, t.source_created_at DESC, t.source_id
        )
        INSERT INTO org_knowledge AS k (topic, user_count, query_count, first_seen, last_seen, period_start, period_end, sample_question, created_at, updated_at)
        SELECT t.topic, t.user_count, t.query_count, t.first_seen, t.last_seen, @Start, @End, left(p.query_text, 500), @Now, @Now
        FROM topics t LEFT JOIN public_sample p USING (topic)
        ORDER BY t.topic
        ON CONFLICT (topic) DO UPDATE SET
            user_count = EXCLUDED.user_count,
            query_count = EXCLUDED.query_count,
            first_seen = LEAST(k.first_seen, EXCLUDED.first_seen),
            last_seen = GREATEST(k.last_seen, EXCLUDED.last_seen),
            period_start = EXCLUDED.period_start,
            period_end = EXCLUDED.period_end,
            sample_question = EXCLUDED.sample_question,
            updated_at = EXCLUDED.updated_at
        """;

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var version = intelligence.CurrentValue.ExtractorVersion;
        var end = context.Now.Date;
        var start = end.AddDays(-o.PeriodDays);
        var thresholds = intelligence.CurrentValue.Thresholds;
        context.Details["period_start"] = start;
        context.Details["period_end"] = end;
        context.Details["period_days"] = o.PeriodDays;

        var after = Guid.Empty;
        long users = 0, insights = 0, failedUsers = 0;
        while (true)
        {
            var batch = await batches.ReadAsync(async (connection, ct) =>
                (await connection.QueryAsync<Guid>(new CommandDefinition(QueryHistorySql.ActiveUsersBatch,
                    new { After = after, From = start.AddDays(-o.PeriodDays), End = end, o.BatchSize }, cancellationToken: ct))).AsList(),
                cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            after = batch[^1];
            try
            {
                insights += await WriteUsersAsync(batch, start, end, version, thresholds, context, cancellationToken);
                users += batch.Count;
            }
            catch (Exception ex) when (IsUserFault(ex))
            {
                logger.LogWarning(ex, "Insight batch of {Count} users failed; retrying user by user", batch.Count);
                foreach (var user in batch)
                {
                    try
                    {
                        insights += await WriteUsersAsync([user], start, end, version, thresholds, context, cancellationToken);
                        users++;
                    }
                    catch (Exception userEx) when (IsUserFault(userEx))
                    {
                        failedUsers++;
                        context.AddErrors(1);
                        logger.LogError(userEx, "Insight generation failed for user {UserId}; the other users are unaffected", user);
                    }
                }
            }
        }

        var org = await batches.ReadAsync(async (connection, ct) =>
            await InsightAnalyzer.AnalyzeOrgAsync(connection, start, end, version, thresholds, await secrets.InsightKeyerAsync(connection, ct), ct),
            cancellationToken);
        var orgInsights = context.DryRun ? org.Insights.Count : await batches.ApplyAsync(context, (connection, tx, ct) =>
            ReplaceAsync(connection, tx, "org", [Guid.Empty], [(Guid.Empty, org)], start, end, context.Now, ct), n => n, cancellationToken);

        var knowledge = context.DryRun ? 0 : await batches.ApplyAsync(context, (connection, tx, ct) =>
            connection.ExecuteAsync(new CommandDefinition(OrgKnowledgeSql,
                new { Version = version, Start = start, End = end, MinUsers = o.OrgKnowledgeMinUsers, context.Now }, tx, cancellationToken: ct)),
            n => n, cancellationToken);

        context.AddInput(users + failedUsers);
        context.AddOutput(insights + orgInsights);
        if (context.DryRun)
        {
            // A dry run commits no batch, so it reports what a real run would have written itself.
            context.AddAffected(insights + orgInsights);
        }

        context.Details["users"] = users;
        context.Details["failed_users"] = failedUsers;
        context.Details["user_insights"] = insights;
        context.Details["org_insights"] = orgInsights;
        context.Details["org_knowledge_topics"] = knowledge;
    }

    // One user's bad data fails that user alone; a lost lease or a cancelled run stops the whole run.
    private static bool IsUserFault(Exception ex) => ex is not (OperationCanceledException or LeaseLostException);

    /// <summary>Analyses the users (a read), then replaces their period's insights in one batch.</summary>
    private async Task<long> WriteUsersAsync(
        List<Guid> users, DateTime start, DateTime end, string version, InsightThresholds thresholds, JobContext context, CancellationToken cancellationToken)
    {
        var analyses = await batches.ReadAsync(async (connection, ct) =>
            await InsightAnalyzer.AnalyzeUsersAsync(connection, users, start, end, version, thresholds, await secrets.InsightKeyerAsync(connection, ct), ct),
            cancellationToken);
        if (context.DryRun)
        {
            return analyses.Values.Sum(a => a.Insights.Count);
        }

        return await batches.ApplyAsync(context, (connection, tx, ct) =>
            ReplaceAsync(connection, tx, "user", users, analyses.Select(a => (a.Key, a.Value)), start, end, context.Now, ct), n => n, cancellationToken);
    }

    private static async Task<long> ReplaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string scope, IReadOnlyList<Guid> scopes, IEnumerable<(Guid Id, ScopeAnalysis Analysis)> analyses,
        DateTime start, DateTime end, DateTime now, CancellationToken ct)
    {
        var rows = analyses.SelectMany(a => a.Analysis.Insights.Select(i => (a.Id, Insight: i))).ToList();
        await connection.ExecuteAsync(new CommandDefinition(ReplaceSql, new
        {
            Scope = scope,
            Scopes = scopes.ToArray(),
            Start = start,
            End = end,
            Now = now,
            UserIds = rows.Select(r => r.Id).ToArray(),
            Types = rows.Select(r => r.Insight.Type).ToArray(),
            Keys = rows.Select(r => r.Insight.Key).ToArray(),
            Titles = rows.Select(r => r.Insight.Title).ToArray(),
            Descriptions = rows.Select(r => r.Insight.Description).ToArray(),
            Evidence = rows.Select(r => Json.Serialize(r.Insight.Evidence)).ToArray(),
            Confidences = rows.Select(r => r.Insight.Confidence).ToArray(),
        }, tx, cancellationToken: ct));
        return rows.Count;
    }
}
