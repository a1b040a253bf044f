using System.Net;
using System.Text.Json;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>An HTTP answer read once: status, media type and the body as JSON (when it is JSON).</summary>
public sealed record Answer(HttpStatusCode Status, string? MediaType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The envelope's payload: <c>{"data": …}</c>.</summary>
    public JsonElement Data => Json.GetProperty("data");

    public override string ToString() => $"{(int)Status} {MediaType}: {(Body.Length > 2000 ? Body[..2000] + "…" : Body)}";
}
