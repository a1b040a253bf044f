namespace Acms.Domain.Reports;

public sealed record Recommendation(string Type, string Title, string Detail, string? Topic, string Priority);
