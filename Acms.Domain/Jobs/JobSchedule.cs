using NCrontab;

namespace Acms.Domain.Jobs;

/// <summary>
/// A job's CRON, read with the Functions host's own rules: the host parses a timer schedule with NCrontab, so this does
/// too — one parser for the timer, the status API, the scheduler, health and the dashboard. On top of NCrontab, exactly
/// six fields are required (the host would read five as a schedule without seconds) and an expression that never fires
/// is rejected.
/// </summary>
public static class JobSchedule
{
    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    /// <summary>How far ahead a schedule must fire at least once (a 29 February schedule fires within four years).</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(366 * 5);

    public static bool TryParse(string? expression, out CrontabSchedule? schedule) => (schedule = Parse(expression, out _)) is not null;

    /// <summary>Null when the expression is one the host accepts and that fires; else why not, in words.</summary>
    public static string? Validate(string? expression)
    {
        Parse(expression, out var error);
        return error;
    }

    public static DateTime? NextAfter(string expression, DateTime utcNow)
    {
        if (Parse(expression, out _) is not { } schedule)
        {
            return null;
        }

        var end = utcNow + Horizon;
        var next = schedule.GetNextOccurrence(Utc(utcNow), end);
        return next >= end ? null : Utc(next);
    }

    /// <summary>The occurrences strictly after <paramref name="fromUtc"/> up to and including <paramref name="toUtc"/>.</summary>
    public static IEnumerable<DateTime> Between(string expression, DateTime fromUtc, DateTime toUtc) =>
        Parse(expression, out _) is { } schedule
            ? schedule.GetNextOccurrences(Utc(fromUtc), Utc(toUtc).AddTicks(1)).Select(Utc)
            : [];

    private static CrontabSchedule? Parse(string? expression, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "is empty; a six-field CRON expression (NCRONTAB: second minute hour day month day-of-week) is required";
            return null;
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 6)
        {
            error = $"has {fields.Length} field(s); the Functions timer needs a six-field CRON expression (NCRONTAB: second minute hour day month day-of-week), e.g. '0 0 3 * * *'";
            return null;
        }

        if (fields.SelectMany(f => f.Split([',', '-', '/'])).FirstOrDefault(UsesUnsupportedCharacter) is { } part)
        {
            error = $"uses '{part}': L, W, # and ? are Quartz forms that the Functions host (NCRONTAB) rejects; use lists and ranges instead";
            return null;
        }

        try
        {
            var schedule = CrontabSchedule.Parse(expression, SixFields);
            var probe = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            if (schedule.GetNextOccurrence(probe, probe + Horizon) >= probe + Horizon)
            {
                error = "never fires (no occurrence in five years), e.g. a day that the month does not have";
                return null;
            }

            return schedule;
        }
        catch (CrontabException ex)
        {
            error = $"is not valid six-field NCRONTAB: {ex.Message}";
            return null;
        }
    }

    // A month or day name (JUL, WED) contains these letters and is fine; "L", "5W", "1#2" and "?" are not.
    private static bool UsesUnsupportedCharacter(string part) =>
        part.IndexOfAny(['L', 'l', 'W', 'w', '#', '?']) >= 0 && !Names.Contains(part);

    private static readonly HashSet<string> Names = new(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        StringComparer.OrdinalIgnoreCase);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
