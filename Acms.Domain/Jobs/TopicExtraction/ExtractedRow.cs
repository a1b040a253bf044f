namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>A row of a batch with its analysis (for the corpus statistics) and its topics, ready to be written.</summary>
internal sealed record ExtractedRow(TopicSourceRow Row, AnalyzedQa Analysis, TopicResult Result);
