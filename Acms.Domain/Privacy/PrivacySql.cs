namespace Acms.Domain.Privacy;

/// <summary>The SQL side of <see cref="PrivacyModel"/>: expressions over the functions of migration 0030, for every query that needs them.</summary>
public static class PrivacySql
{
    /// <summary>The effective level of a <c>query_history</c> row (declared level, provenance and the sensitive memories it quotes, strictest wins). Alias: q.</summary>
    public const string QaLevel = "acms_qa_privacy(q.metadata, q.user_id, q.query_text, q.response_text, q.created_at)";

    /// <summary>Whether a level (an expression) lets the question count in organisation outputs.</summary>
    public static string QuestionShareable(string level) => $"acms_question_shareable({level})";

    /// <summary>Whether a level lets the answer feed organisation outputs and the LLM; <paramref name="allowUnknown"/> is a boolean expression or parameter.</summary>
    public static string AnswerShareable(string level, string allowUnknown) => $"acms_answer_shareable({level}, {allowUnknown})";

    /// <summary>Whether a level lets the question's text be shown in organisation outputs.</summary>
    public static string TextPublic(string level) => $"acms_text_public({level})";
}
