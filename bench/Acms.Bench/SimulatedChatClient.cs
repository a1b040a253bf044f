using Microsoft.Extensions.AI;

namespace Acms.Bench;

/// <summary>
/// Stands in for the LLM of topic extraction's optional tier (no model is reachable here): each call waits a fixed
/// latency, as a call to a hosted model waits on the network and the model, then answers two tags. It measures what the
/// job does around the calls (concurrency, budget, writes), not the model.
/// </summary>
public sealed class SimulatedChatClient(TimeSpan latency) : IChatClient
{
    private const string Reply = """["message-queue", "consumer-lag"]""";

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
