namespace Acms.Domain.Reports;

public sealed record RenderedReport(IntelligenceReport Report, string Content, string ContentType);
