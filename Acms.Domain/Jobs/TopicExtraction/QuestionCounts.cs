namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>What the words of a text were: concepts, other topic words (and those not generic), social words, asking words.</summary>
/// <param name="Neutral">Topic words that are names or no English word at all: a greeting's name, a word of another language.</param>
/// <param name="Words">All words of the text.</param>
/// <param name="SetPhrase">Those of <paramref name="SmallTalk"/> that are social only inside a set phrase ("got it", "are you there").</param>
internal readonly record struct QuestionCounts(int Concepts, int Residual, int Subject, int SmallTalk, bool Asks, int Neutral, int Words, int SetPhrase);
