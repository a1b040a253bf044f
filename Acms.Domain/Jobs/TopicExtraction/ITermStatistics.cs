namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>Corpus figures the scorer needs: how many documents there are and how many contain a key.</summary>
public interface ITermStatistics
{
    long DocumentCount { get; }

    long DocumentFrequency(string key);
}
