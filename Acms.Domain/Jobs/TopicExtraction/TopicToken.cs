namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>One topic word or concept of a Q&amp;A.</summary>
/// <param name="Key">A concept's canonical name, or a word's canonical key (singular, typos folded).</param>
/// <param name="Run">Tokens of one run are adjacent with no filler, stop word or punctuation between them; phrases never cross runs.</param>
/// <param name="Concept">A concept of the lexicon (<see cref="TopicLexicon"/>), matched on one or more words.</param>
/// <param name="Generic">A word too general to be a topic alone.</param>
/// <param name="Unknown">Neither an English word (SCOWL) nor a word of the lexicon or its lists: a term of art, a typo, a word of another language.</param>
public readonly record struct TopicToken(string Key, bool InQuestion, int Run, bool Concept, bool Generic, bool Unknown = false);
