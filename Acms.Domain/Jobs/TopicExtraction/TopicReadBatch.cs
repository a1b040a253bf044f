namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// A batch as read and tokenized ahead of its scoring. <see cref="Bounded"/>: it holds the whole range up to the key its
/// bound query found, and the walk goes on after that key; otherwise (the walk's last read, of the next <c>BatchSize</c>
/// rows, or a range cut short by its cap) the walk goes on after its last row.
/// </summary>
internal sealed record TopicReadBatch(
    List<TopicSourceRow> Candidates, List<TopicSourceRow> Rows, AnalyzedQa[] Analyses, CorpusStatistics Corpus, string[] Stems, long Started, bool Bounded);
