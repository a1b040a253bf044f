using Acms.Domain.Common;
using Dapper;
using Npgsql;

namespace Acms.Domain.Insights;

/// <summary>Reads <c>org_knowledge</c> (kept by insight generation), newest period first, most asked first.</summary>
public sealed class OrgKnowledgeQueries(NpgsqlDataSource dataSource)
{
    public const int MaxLimit = 200;

    /// <param name="limit">1–<see cref="MaxLimit"/> (else <see cref="AcmsValidationException"/>).</param>
    public async Task<OrgKnowledgeList> ListAsync(int limit, CancellationToken cancellationToken)
    {
        RequestValidation.InRange("limit", limit, 1, MaxLimit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Served by ix_org_knowledge_period (period_end DESC, query_count DESC).
        var rows = (await connection.QueryAsync<OrgKnowledgeItem>(new CommandDefinition("""
            SELECT topic AS Topic, user_count AS UserCount, query_count AS QueryCount, first_seen AS FirstSeen, last_seen AS LastSeen,
                   period_start AS PeriodStart, period_end AS PeriodEnd, sample_question AS SampleQuestion
            FROM org_knowledge
            ORDER BY period_end DESC, query_count DESC, topic
            LIMIT @Limit
            """, new { Limit = limit }, cancellationToken: cancellationToken))).AsList();
        return new OrgKnowledgeList(rows, rows.Count);
    }
}
