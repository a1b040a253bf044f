namespace Acms.Domain.Common;

/// <summary>A request value the domain rejects. The HTTP layer maps it to 400 problem details (field → message).</summary>
public sealed class AcmsValidationException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
    public string Detail { get; } = message;
}

/// <summary>A resource named by the request does not exist. The HTTP layer maps it to 404 problem details.</summary>
public sealed class NotFoundException(string resource, string id) : Exception($"{resource} '{id}' was not found.")
{
    public string Resource { get; } = resource;
    public string Id { get; } = id;
}

/// <summary>Checks shared by the read services.</summary>
public static class RequestValidation
{
    public static string OneOf(string field, string? value, string defaultValue, params string[] allowed)
    {
        var v = string.IsNullOrWhiteSpace(value) ? defaultValue : value.Trim().ToLowerInvariant();
        return allowed.Contains(v, StringComparer.Ordinal)
            ? v
            : throw new AcmsValidationException(field, $"'{value}' is not one of: {string.Join(", ", allowed)}.");
    }

    public static int InRange(string field, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new AcmsValidationException(field, $"must be between {min} and {max}, was {value}.");

    /// <summary>A date (<c>2026-10-26</c>) or an ISO 8601 timestamp, as UTC; null when absent.</summary>
    public static DateTime? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            // Periods are computed from the date (a week or month later): far-off years would overflow, not just mean nothing.
            return date.Year is >= 2000 and <= 2200
                ? date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
                : throw new AcmsValidationException(field, $"'{value}' is outside the years 2000 to 2200.");
        }

        if (DateTimeOffset.TryParse(value.Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var timestamp)
            && timestamp.Year is >= 2000 and <= 2200)
        {
            return timestamp.UtcDateTime;
        }

        throw new AcmsValidationException(field, $"'{value}' is not a date (yyyy-MM-dd) or an ISO 8601 timestamp.");
    }
}
