using Acms.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Http;

/// <summary>The one success envelope of every JSON API: <c>{"data": …, "meta": {…}}</c> (meta only when there is one).</summary>
public static class ApiResponse
{
    public static JsonResult Ok(object data, object? meta = null) =>
        new(meta is null ? new Envelope(data) : new EnvelopeWithMeta(data, meta), Json.Options);

    private sealed record Envelope(object Data);

    private sealed record EnvelopeWithMeta(object Data, object Meta);
}
