using System.Text.Json;
using Acms.Domain.Privacy;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Optional extractor through <see cref="IChatClient"/> (registered by the host, e.g. Azure OpenAI from
/// <c>AzureOpenAI:Endpoint</c>/<c>AzureOpenAI:Deployment</c>). The privacy model is the gate, given the row's effective
/// level: the question is sent only when <see cref="PrivacyModel.QuestionShareable"/> (PUBLIC, INTERNAL, UNKNOWN; never
/// CONFIDENTIAL or LOCAL_ONLY), the answer only when <see cref="PrivacyModel.AnswerShareable"/>; and only when the run's
/// budget covers the estimated cost. Any failure returns null: the caller keeps the built-in extractor's result.
/// </summary>
public sealed class LlmTopicExtractor(IChatClient? chatClient, ILogger<LlmTopicExtractor> logger)
{
    private const string Instructions = """
        You label questions asked to an engineering assistant with topic tags.
        Reply with only a JSON array of 1 to 5 tags, most important first. Each tag is a short noun phrase in lowercase
        with words joined by hyphens, such as "kubernetes-ingress" or "postgres-vacuum". No other text.
        """;

    public bool IsAvailable => chatClient is not null;

    /// <param name="privacyLevel">The row's effective level (<c>acms_qa_privacy</c>).</param>
    /// <param name="shareUnknownAnswers">The deployment's <see cref="PrivacyOptions.ShareAnswersOfUnknownProvenance"/>.</param>
    public async Task<TopicResult?> TryExtractAsync(
        string question, string? answer, string? privacyLevel, bool shareUnknownAnswers, LlmBudget budget, TopicExtractionOptions options,
        CancellationToken cancellationToken)
    {
        // An exhausted budget is known before the prompt is built: past the cap a run skips every row at once.
        if (chatClient is null || budget.Exhausted || !PrivacyModel.QuestionShareable(privacyLevel))
        {
            return null;
        }

        var text = answer is not null && PrivacyModel.AnswerShareable(privacyLevel, shareUnknownAnswers)
            ? $"Question: {question}\n\nAnswer: {answer}"
            : $"Question: {question}";
        if (text.Length > options.LlmMaxInputChars)
        {
            text = text[..options.LlmMaxInputChars];
        }

        var estimatedInputTokens = (Instructions.Length + text.Length) / 4.0;
        const double EstimatedOutputTokens = 40;
        var estimate = Cost(estimatedInputTokens, EstimatedOutputTokens, options);
        if (!budget.TryReserve(estimate))
        {
            return null;
        }

        try
        {
            var response = await chatClient.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, text)],
                new ChatOptions { Temperature = 0, MaxOutputTokens = 100 },
                cancellationToken);
            var usage = response.Usage;
            budget.Charge(estimate, usage?.InputTokenCount is { } input
                ? Cost(input, usage.OutputTokenCount ?? EstimatedOutputTokens, options)
                : estimate);

            var topics = Parse(response.Text);
            return topics.Count == 0 ? null : new TopicResult(topics, topics[0], 0.8, TopicResult.Llm);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            budget.Fail(estimate);
            logger.LogWarning(ex, "LLM topic extraction failed; the built-in extractor's topics are kept");
            return null;
        }
    }

    /// <summary>The tags of a reply: the first JSON array of strings in it, canonicalized through the lexicon, de-duplicated, at most 5.</summary>
    public static IReadOnlyList<string> Parse(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return [];
        }

        var start = reply.IndexOf('[', StringComparison.Ordinal);
        var end = reply.LastIndexOf(']');
        if (start < 0 || end <= start)
        {
            return [];
        }

        try
        {
            var items = JsonSerializer.Deserialize<string[]>(reply[start..(end + 1)]) ?? [];
            return items.Select(t => TopicLexicon.Default.Canonicalize(t ?? ""))
                .Where(t => t.Length is > 0 and <= 60)
                .Distinct(StringComparer.Ordinal)
                .Take(5)
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static double Cost(double inputTokens, double outputTokens, TopicExtractionOptions options) =>
        (inputTokens / 1000.0 * options.LlmUsdPer1kInputTokens) + (outputTokens / 1000.0 * options.LlmUsdPer1kOutputTokens);
}
