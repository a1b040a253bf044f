namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>A Q&amp;A reduced to its topic words and concepts.</summary>
public sealed class AnalyzedQa(List<TopicToken> tokens, int questionContentWords, bool smallTalk)
{
    public static AnalyzedQa Empty(bool smallTalk) => new([], 0, smallTalk);

    public IReadOnlyList<TopicToken> Tokens { get; } = tokens;

    /// <summary>Topic words and concepts of the question; zero means nothing to extract.</summary>
    public int QuestionContentWords { get; } = questionContentWords;

    /// <summary>The question is a greeting, thanks, acknowledgement or farewell: no topics, whatever the answer says.</summary>
    public bool SmallTalk { get; } = smallTalk;
}
