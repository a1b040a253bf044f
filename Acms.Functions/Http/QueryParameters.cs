using System.Globalization;
using Acms.Domain.Common;
using Microsoft.AspNetCore.Http;

namespace Acms.Functions.Http;

/// <summary>Parses query-string values strictly: a malformed value is rejected (a 400 naming it), never a default in disguise.</summary>
public static class QueryParameters
{
    /// <exception cref="AcmsValidationException">Not exactly one of true or false.</exception>
    public static bool Flag(IQueryCollection query, string name, bool defaultValue)
    {
        if (!query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }

        return raw.Count == 1 && bool.TryParse(raw[0], out var value)
            ? value
            : throw new AcmsValidationException(name, $"must be true or false, not '{raw}'.");
    }

    /// <exception cref="AcmsValidationException">Not one whole number from <paramref name="min"/> to <paramref name="max"/>.</exception>
    public static int WholeNumber(IQueryCollection query, string name, int defaultValue, int min, int max)
    {
        if (!query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }

        return raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AcmsValidationException(name, $"must be a whole number from {min} to {max}, not '{raw}'.");
    }

    /// <exception cref="AcmsValidationException">Present but not one UUID.</exception>
    public static Guid? Uuid(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return null;
        }

        return raw.Count == 1 && System.Guid.TryParse(raw[0], out var parsed)
            ? parsed
            : throw new AcmsValidationException(name, $"must be a UUID, not '{raw}'.");
    }

    /// <summary>A route value that must be a UUID (a run or report id).</summary>
    /// <exception cref="AcmsValidationException">Not a UUID.</exception>
    public static Guid RouteGuid(string value, string name, string what) =>
        System.Guid.TryParse(value, out var parsed) ? parsed : throw new AcmsValidationException(name, $"'{value}' is not {what} (a UUID).");
}
