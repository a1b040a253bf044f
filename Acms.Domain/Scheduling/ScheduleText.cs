using System.Globalization;

namespace Acms.Domain.Scheduling;

/// <summary>
/// A six-field NCRONTAB schedule in words for people ("daily at 03:00 UTC", "Sundays at 04:00 UTC"). The shapes the
/// jobs use are named; any other expression is shown as itself, never guessed at.
/// </summary>
public static class ScheduleText
{
    private static readonly string[] Days = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];

    public static string Describe(string expression)
    {
        var f = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 6)
        {
            return expression;
        }

        var (second, minute, hour, day, month, weekday) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        if (minute == "*" && hour == "*" && day == "*" && month == "*" && weekday == "*" && Step(second) is { } seconds)
        {
            return seconds == 1 ? "every second" : $"every {seconds} seconds";
        }

        if (second != "0" || day != "*" || month != "*")
        {
            return $"cron {expression} (UTC)";
        }

        if (hour == "*" && weekday == "*")
        {
            return Number(minute) is { } m ? $"hourly at :{m:00}" : Step(minute) is { } every ? $"every {every} minutes" : $"cron {expression} (UTC)";
        }

        if (Number(hour) is not { } h || Number(minute) is not { } min || h > 23 || min > 59)
        {
            return $"cron {expression} (UTC)";
        }

        var at = $"{h:00}:{min:00} UTC";
        if (weekday == "*")
        {
            return $"daily at {at}";
        }

        return Number(weekday) is { } w && w <= 7 ? $"{Days[w % 7]} at {at}" : $"cron {expression} (UTC)";
    }

    private static int? Number(string field) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && Number(field[2..]) is { } n and > 0 ? n : null;
}
