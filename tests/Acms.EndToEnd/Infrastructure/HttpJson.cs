namespace Acms.EndToEnd.Infrastructure;

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
