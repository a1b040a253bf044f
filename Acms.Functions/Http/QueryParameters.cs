using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Http;

/// <summary>Parses query-string values strictly: a malformed value is a 400, never a default in disguise.</summary>
public static class QueryParameters
{
    public static bool TryGetBool(IQueryCollection query, string name, bool defaultValue, out bool value, out IActionResult? problem)
    {
        value = defaultValue;
        problem = null;
        if (!query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (raw.Count == 1 && bool.TryParse(raw[0], out value))
        {
            return true;
        }

        problem = Problems.BadRequest($"'{name}' must be true or false, not '{raw}'.", name);
        return false;
    }

    public static bool TryGetInt(IQueryCollection query, string name, int defaultValue, int min, int max, out int value, out IActionResult? problem)
    {
        value = defaultValue;
        problem = null;
        if (!query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        problem = Problems.BadRequest($"'{name}' must be a whole number from {min} to {max}, not '{raw}'.", name);
        return false;
    }

    public static bool TryGetGuid(IQueryCollection query, string name, out Guid? value, out IActionResult? problem)
    {
        value = null;
        problem = null;
        if (!query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (raw.Count == 1 && Guid.TryParse(raw[0], out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = Problems.BadRequest($"'{name}' must be a UUID, not '{raw}'.", name);
        return false;
    }
}
