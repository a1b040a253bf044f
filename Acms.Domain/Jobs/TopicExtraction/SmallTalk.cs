namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Whether a question is small talk (greetings, thanks, acknowledgements, farewells, "are you there"), from the counts
/// <see cref="TopicText"/> took of its words. Small talk gets no topics and its answer is not read.
/// </summary>
internal static class SmallTalk
{
    /// <summary>A question with a concept or this many topic words beyond small talk is never small talk.</summary>
    private const int MaxResidualWords = 1;

    /// <summary>A remark of no more words than this, none of them known, asking nothing and naming no concept, is small talk.</summary>
    /// <remarks>Kept this short because a question in another language is also made of words the lists do not know.</remarks>
    private const int MaxUnknownWords = 2;

    /// <summary>A remark of no more words than this, asking nothing, with a social word and a concept but no other subject, is a wish.</summary>
    private const int MaxWishWords = 4;

    /// <summary>
    /// Small talk: social words (thanks, greetings, farewells) with at most one other topic word and no concept; or,
    /// when the question asks nothing (no question mark, no asking word), social words that outnumber what is left
    /// ("thanks for yesterday's help with the deployment, the release went smoothly"): at least two of them when a
    /// concept is mentioned (one when it is a short wish with no other subject: "have a safe trip"), and never only words
    /// social in a set phrase ("got", "me"), a name or an unknown word beside them counting as part of the greeting; or a
    /// remark of at most two words that no dictionary or lexicon knows, asking nothing ("brb", "goedemorgen").
    /// </summary>
    public static bool Is(QuestionCounts q, string question)
    {
        var asks = q.Asks || question.Contains('?', StringComparison.Ordinal);
        if (q.SmallTalk == 0)
        {
            // "brb", "goedemorgen", "Priya here": a short remark in words no dictionary or lexicon knows, asking nothing.
            return !asks && q.Concepts == 0 && q.Words <= MaxUnknownWords && q.Neutral == q.Residual;
        }

        // A name or a word of another language beside the social words is part of the greeting, unless something is asked.
        var neutral = asks ? 0 : q.Neutral;
        var residual = q.Residual - neutral;
        if (q.Concepts == 0 && residual <= MaxResidualWords && q.SmallTalk >= 2)
        {
            return true;
        }

        // A short wish ("have a safe trip", "happy holidays") names a concept beside a single social word.
        var wish = q.Words <= MaxWishWords && q.Subject == 0;

        // Beside a concept, words social only in a set phrase ("got", "me") are not enough: "got a phishing email asking me
        // to reset my password" is a question.
        return !asks && q.SmallTalk >= (q.Concepts > 0 && !wish ? 2 : 1) && (q.Concepts == 0 || q.SmallTalk > q.SetPhrase)
            && q.Concepts + q.Subject - neutral <= Math.Max(2, q.SmallTalk);
    }

    /// <summary>A word that makes a sentence a request, whatever its punctuation.</summary>
    public static bool IsAskingWord(string key) => AskingWords.Contains(key);

    private static readonly HashSet<string> AskingWords = new(StringComparer.Ordinal)
    {
        "how", "what", "why", "which", "where", "who", "whats", "hows", "need", "needs", "want", "wants", "trying", "explain",
        "show", "tell", "write", "create", "configure", "recommend", "suggest", "compare", "please", "can", "could", "would",
        "should", "wondering", "question",

        // German, Spanish and French asking words: a question in another language asks too ("was" is English as well).
        "wie", "warum", "wo", "welche", "welcher", "wann", "kann", "muss", "gibt", "como", "cómo", "que", "qué",
        "donde", "dónde", "cual", "cuál", "cuando", "cuándo", "puedo", "necesito", "comment", "pourquoi", "quel",
        "quelle", "où", "peux", "dois",
    };
}
