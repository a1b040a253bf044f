using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>An <see cref="IChatClient"/> that records every prompt it receives and answers with a fixed reply (or throws).</summary>
public sealed class FakeChatClient(string reply = """["llm-topic", "second-topic"]""", bool fail = false, long? inputTokens = null) : IChatClient
{
    public ConcurrentQueue<string> Received { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Received.Enqueue(string.Join("\n", messages.Select(m => m.Text)));
        if (fail)
        {
            throw new HttpRequestException("the model is overloaded");
        }

        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, reply));
        if (inputTokens is { } tokens)
        {
            response.Usage = new UsageDetails { InputTokenCount = tokens, OutputTokenCount = 10 };
        }

        return Task.FromResult(response);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
