namespace Acms.Domain.Insights;

/// <summary>
/// Reading <c>query_history.metadata</c> defensively: a row whose metadata is not an object, or whose cost is not a
/// number, reads as "unknown" instead of failing the statement (one user's bad data never fails a run).
/// </summary>
internal static class QueryHistorySql
{
    /// <summary>The next <c>@BatchSize</c> active users after <c>@After</c> who asked something in [<c>@From</c>, <c>@End</c>), keyset on user_id.</summary>
    public const string ActiveUsersBatch = """
        SELECT u.user_id
        FROM users u
        WHERE u.is_active AND u.user_id > @After
          AND EXISTS (SELECT 1 FROM query_history q WHERE q.user_id = u.user_id AND q.created_at >= @From AND q.created_at < @End)
        ORDER BY u.user_id
        LIMIT @BatchSize
        """;

    /// <summary>The nil UUID: the organisation's row in the daily rollups.</summary>
    public static readonly Guid Org = Guid.Empty;

    /// <summary><c>metadata.est_cost_usd</c> as a double, or NULL when absent, negative or not numeric. Alias of query_history: q.</summary>
    public const string CostUsd = """
        (CASE
            WHEN jsonb_typeof(q.metadata -> 'est_cost_usd') = 'number'
                THEN (CASE WHEN (q.metadata -> 'est_cost_usd')::numeric BETWEEN 0 AND 1000000 THEN (q.metadata -> 'est_cost_usd')::numeric::float8 END)
            WHEN jsonb_typeof(q.metadata -> 'est_cost_usd') = 'string' AND (q.metadata ->> 'est_cost_usd') ~ '^\s*[0-9]{1,12}(\.[0-9]{1,12})?\s*$'
                THEN trim(q.metadata ->> 'est_cost_usd')::float8
        END)
        """;
}
