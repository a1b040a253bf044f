namespace Acms.Domain.Privacy;

/// <summary>The SQL side of <see cref="PrivacyModel"/>: expressions over the functions of migration 0030, for every query that needs them.</summary>
public static class PrivacySql
{
    /// <summary>
    /// The effective levels (<c>query_id</c>, <c>level</c>) of the <c>query_history</c> rows a query returns (it must return
    /// their <c>query_id, metadata, user_id, query_text, response_text, created_at</c>), from one call of the set form of
    /// the model (<c>acms_qa_privacies</c>): one join with <c>query_logs</c> and one with the users' sensitive memories for
    /// all of them, where the per-row form (<c>acms_qa_privacy</c>) would start both lookups once per row. Every query
    /// that needs rows' levels takes them this way. For a CTE body.
    /// </summary>
    public static string LevelsOf(string rows) => $"""
        SELECT b.ids[l.ord] AS query_id, l.level
        FROM (SELECT array_agg(r.query_id) AS ids, array_agg(r.metadata) AS metadata, array_agg(r.user_id) AS users,
                     array_agg(r.query_text) AS questions, array_agg(r.response_text) AS answers, array_agg(r.created_at) AS ats
              FROM ({rows}) r) b
        CROSS JOIN LATERAL acms_qa_privacies(b.metadata, b.users, b.questions, b.answers, b.ats) l
        """;

    /// <summary>Whether a level (an expression) lets the question count in organisation outputs.</summary>
    public static string QuestionShareable(string level) => $"acms_question_shareable({level})";

    /// <summary>Whether a level lets the answer feed organisation outputs and the LLM; <paramref name="allowUnknown"/> is a boolean expression or parameter.</summary>
    public static string AnswerShareable(string level, string allowUnknown) => $"acms_answer_shareable({level}, {allowUnknown})";

    /// <summary>Whether a level lets the question's text be shown in organisation outputs.</summary>
    public static string TextPublic(string level) => $"acms_text_public({level})";
}
