namespace Acms.Domain.Insights;

public static class InsightTypes
{
    public const string EmergingTheme = "emerging_theme";
    public const string TopicShift = "topic_shift";
    public const string CostTrend = "cost_trend";
    public const string ProductivityTrend = "productivity_trend";
    public const string KnowledgeGap = "knowledge_gap";
}
