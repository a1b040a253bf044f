namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The weights of <see cref="KeyphraseExtractor"/>, chosen on the dev half of the labelled set
/// (<c>tests/Acms.Tests/Jobs/TopicExtraction/topic-eval.jsonl</c>); part of the extractor version.
/// </summary>
/// <param name="QuestionWeight">A question occurrence counts this many answer occurrences.</param>
/// <param name="MinRelativeScore">Concepts the question does not name among the first <paramref name="HeadTopics"/> scoring below this fraction of the best are dropped.</param>
/// <param name="UnknownPhraseWeight">Weight of a phrase of two or three words with a word neither English nor of the lexicon: more
/// often a sentence of another language or a typo than a subject (a lone unknown word, a term of art, keeps its weight).</param>
/// <param name="AnswerFrom">A concept the answer names only once may be a topic after this many topics of the question.</param>
/// <param name="AnswerRelativeScore">Such a concept scoring below this fraction of the best is dropped.</param>
/// <param name="HeadTopics">How many topics lead the list (what a reader sees first).</param>
/// <param name="TailRelativeScore">Concepts after the first <paramref name="HeadTopics"/> scoring below this fraction of the best are dropped.</param>
/// <param name="ConceptBoost">Weight of a lexicon concept against a one-word phrase.</param>
/// <param name="ProductBoost">Extra weight of a technology or product concept: what a question is about more often than not.</param>
/// <param name="GerundWeight">Weight of a lone gerund the lexicon does not know ("upgrading"): more often the action than the subject.</param>
/// <param name="ImpliedWeight">Score of a parent concept the text does not name, as a fraction of its best child's.</param>
/// <param name="ConceptRelativeScore">A lexicon concept the question names may lead the list down to this fraction of the best: named
/// outright, it is a subject even when frequent in the corpus ("postgres" in a database-heavy corpus scores a low idf).</param>
/// <param name="PhraseRelativeScore">A phrase the lexicon does not know is a topic, leading or closing the list, only down to this
/// fraction of the best (fewer of them are subjects than concepts are).</param>
/// <param name="PlaceWeight">Weight of a place in a Q&amp;A with no travel or other personal concept: there a place is rarely the subject.</param>
/// <param name="ProductLeadWeight">Extra weight of a technology or product concept the question names when the chosen topics are
/// put in order (<see cref="KeyphraseOrder"/>): the product a Q&amp;A is about leads more often than the process or field beside it.</param>
/// <param name="EarlyLeadWeight">When the chosen topics are put in order, a topic whose first word is the question's n-th topic word
/// (counting from 0) weighs 1 + this / (1 + n): the first ×1.5, the second ×1.25, the fifth ×1.1.</param>
/// <param name="AnswerPhrases">Whether a phrase found only in the answer may be a topic (a concept always may, when seen twice).</param>
public sealed record KeyphraseWeights(
    double QuestionWeight = 3.0,
    double MinRelativeScore = 0.43,
    double ConceptBoost = 2.5,
    double ProductBoost = 1.3,
    double GerundWeight = 0.6,
    bool AnswerPhrases = false,
    double ImpliedWeight = 0.6,
    int HeadTopics = 3,
    double TailRelativeScore = 0.1,
    int AnswerFrom = 3,
    double AnswerRelativeScore = 0.1,
    double UnknownPhraseWeight = 0.5,
    double ConceptRelativeScore = 0.2,
    double PhraseRelativeScore = 0.6,
    double PlaceWeight = 0.5,
    double ProductLeadWeight = 1.65,
    double EarlyLeadWeight = 0.5)
{
    public static KeyphraseWeights Default { get; } = new();
}
