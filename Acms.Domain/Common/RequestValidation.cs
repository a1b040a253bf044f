namespace Acms.Domain.Common;

/// <summary>Checks shared by the read services.</summary>
public static class RequestValidation
{
    public static string OneOf(string field, string? value, string defaultValue, params string[] allowed)
    {
        var v = string.IsNullOrWhiteSpace(value) ? defaultValue : value.Trim().ToLowerInvariant();
        return allowed.Contains(v, StringComparer.Ordinal)
            ? v
            : throw new AcmsValidationException(field, $"'{Shorten(value ?? "")}' is not one of: {string.Join(", ", allowed)}.");
    }

    public static int InRange(string field, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new AcmsValidationException(field, $"must be between {min} and {max}, was {value}.");

    /// <summary>The earliest and latest dates a request may name: every period derived from them stays representable.</summary>
    public static readonly DateTime MinDate = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime MaxDate = new(2200, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A date (<c>2026-10-26</c>) or an ISO 8601 timestamp from 2000 to 2200, as UTC; null when absent.</summary>
    public static DateTime? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        DateTime parsed;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            parsed = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }
        else if (DateTimeOffset.TryParse(value.Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            parsed = timestamp.UtcDateTime;
        }
        else
        {
            throw new AcmsValidationException(field, $"'{Shorten(value)}' is not a date (yyyy-MM-dd) or an ISO 8601 timestamp.");
        }

        return parsed >= MinDate && parsed < MaxDate.AddDays(1)
            ? parsed
            : throw new AcmsValidationException(field, $"'{Shorten(value)}' is outside the supported range {MinDate:yyyy-MM-dd} to {MaxDate:yyyy-MM-dd}.");
    }

    // A rejected value is echoed back to help the caller, but never at any length.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
