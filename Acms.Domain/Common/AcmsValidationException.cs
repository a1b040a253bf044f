namespace Acms.Domain.Common;

/// <summary>A request value the domain rejects. The HTTP layer maps it to 400 problem details (field → message).</summary>
public sealed class AcmsValidationException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
    public string Detail { get; } = message;
}
