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

public static class HttpJson
{
    public static async Task<Answer> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    public static Task<Answer> GetAnswerAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Get, path);

    public static Task<Answer> PostAnswerAsync(this HttpClient client, string path, string? json = null) =>
        client.SendAsync(HttpMethod.Post, path, json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
}
