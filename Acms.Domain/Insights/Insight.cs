namespace Acms.Domain.Insights;

public sealed record Insight(string Type, string Key, string Title, string Description, double Confidence, InsightEvidence Evidence);
