namespace Acms.Domain.Common;

/// <summary>A resource named by the request does not exist. The HTTP layer maps it to 404 problem details.</summary>
public sealed class NotFoundException(string resource, string id) : Exception($"{resource} '{id}' was not found.")
{
    public string Resource { get; } = resource;
    public string Id { get; } = id;
}
