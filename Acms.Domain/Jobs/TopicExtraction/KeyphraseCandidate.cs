namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>A topic candidate of one Q&amp;A: a lexicon concept or a phrase of canonical word keys, with its counts and score.</summary>
/// <param name="keys">A concept's name alone, or the phrase's keys in text order.</param>
internal sealed class KeyphraseCandidate(string[] keys, bool concept)
{
    public string[] Keys { get; } = keys;
    public bool Concept { get; } = concept;
    public string? Head { get; set; }
    public bool Unknown { get; set; }
    public double Tf { get; set; }

    /// <summary>The part of <see cref="Tf"/> the question's own occurrences make up.</summary>
    public double QuestionTf { get; set; }
    public int Count { get; set; }
    public bool InQuestion { get; set; }

    /// <summary>A parent concept the text does not name, implied by a child it does.</summary>
    public bool Implied { get; init; }

    /// <summary>May close the list but never be among its first topics.</summary>
    public bool TailOnly { get; init; }
    public int FirstPosition { get; set; } = int.MaxValue;
    public double Score { get; set; }
}
