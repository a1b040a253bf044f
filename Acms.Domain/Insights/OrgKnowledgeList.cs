namespace Acms.Domain.Insights;

public sealed record OrgKnowledgeList(IReadOnlyList<OrgKnowledgeItem> Topics, int Count);
