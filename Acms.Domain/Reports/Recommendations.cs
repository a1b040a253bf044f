using System.Globalization;
using Acms.Domain.Insights;

namespace Acms.Domain.Reports;

/// <summary>The recommendation rules of reports and the insights summary.</summary>
public static class RecommendationRules
{
    /// <param name="knowledgeBaseMinQuestions">A topic asked this many times or more gets "create a knowledge-base entry".</param>
    public static IReadOnlyList<Recommendation> For(ScopeAnalysis analysis, int knowledgeBaseMinQuestions, double costThresholdUsd)
    {
        var recommendations = new List<Recommendation>();
        foreach (var topic in analysis.Topics.Where(t => t.Count >= knowledgeBaseMinQuestions).Take(5))
        {
            recommendations.Add(new Recommendation("knowledge_base", $"Create a knowledge-base entry for {topic.Topic}",
                $"{topic.Topic} was asked about {topic.Count} times this period; a curated entry answers it once for everyone.", topic.Topic, "high"));
        }

        foreach (var insight in analysis.Insights.Where(i => i.Type == InsightTypes.EmergingTheme))
        {
            recommendations.Add(new Recommendation("emerging_theme", $"Plan for the emerging theme {insight.Key}",
                $"{insight.Description} Consider documentation, training or an owner for it.", insight.Key, "medium"));
        }

        if (analysis.Stats.AverageCostUsd is { } cost && cost > costThresholdUsd)
        {
            recommendations.Add(new Recommendation("cost", "Reduce the cost per query",
                string.Create(CultureInfo.InvariantCulture,
                    $"The average estimated cost is ${cost:0.000} per query, above ${costThresholdUsd:0.000}: cache frequent answers or route simple questions to a smaller model."),
                null, "medium"));
        }

        return recommendations;
    }
}
