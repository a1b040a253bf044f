namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Document frequencies of topic keys (canonical words and concept names): the corpus figures loaded from the database
/// plus those of the batch being extracted. Safe to read from several threads once filled.
/// </summary>
public sealed class CorpusStatistics : ITermStatistics
{
    private readonly Dictionary<string, long> _df = new(StringComparer.Ordinal);

    // Scratch set of AddDocument, reused (adding documents is single-threaded; reading is what may be concurrent).
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public long DocumentCount { get; private set; }

    public long DocumentFrequency(string key) => _df.GetValueOrDefault(key);

    /// <summary>Counts a document: each distinct key once.</summary>
    public void AddDocument(AnalyzedQa document)
    {
        DocumentCount++;
        _seen.Clear();
        foreach (var token in document.Tokens)
        {
            if (_seen.Add(token.Key))
            {
                _df[token.Key] = _df.GetValueOrDefault(token.Key) + 1;
            }
        }
    }

    /// <summary>Adds figures counted elsewhere (the database).</summary>
    public void AddCounts(long documents, IEnumerable<(string Key, long Count)> documentFrequencies)
    {
        DocumentCount += documents;
        foreach (var (key, count) in documentFrequencies)
        {
            _df[key] = _df.GetValueOrDefault(key) + count;
        }
    }
}
