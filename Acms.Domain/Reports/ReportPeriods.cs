using Acms.Domain.Common;

namespace Acms.Domain.Reports;

/// <summary>The period a report covers: a weekly report's ISO week, a monthly report's month, or a custom range.</summary>
public static class ReportPeriods
{
    public const int MaxCustomDays = 366;

    /// <summary>The previous ISO week (Monday 00:00 UTC to the next Monday) of <paramref name="now"/>.</summary>
    public static (DateTime Start, DateTime End) PreviousIsoWeek(DateTime now)
    {
        var monday = now.Date.AddDays(-(((int)now.DayOfWeek + 6) % 7));
        return (DateTime.SpecifyKind(monday.AddDays(-7), DateTimeKind.Utc), DateTime.SpecifyKind(monday, DateTimeKind.Utc));
    }

    public static (DateTime Start, DateTime End) PreviousMonth(DateTime now)
    {
        var first = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return (first.AddMonths(-1), first);
    }

    /// <summary>
    /// The period of a <paramref name="type"/> report asked for with these dates: custom takes both (end after start, at
    /// most <see cref="MaxCustomDays"/> days); weekly and monthly take the week or month of <paramref name="start"/>, or the
    /// last whole one before <paramref name="now"/>.
    /// </summary>
    /// <exception cref="AcmsValidationException">The dates don't give a period of that type.</exception>
    internal static (DateTime Start, DateTime End) Resolve(string type, DateTime? start, DateTime? end, DateTime now)
    {
        (DateTime Start, DateTime End) period;
        switch (type)
        {
            case "custom":
                if (start is null)
                {
                    throw new AcmsValidationException("period_start", "is required for a custom report.");
                }

                if (end is null)
                {
                    throw new AcmsValidationException("period_end", "is required for a custom report.");
                }

                if (end <= start)
                {
                    throw new AcmsValidationException("period_end", "must be after period_start.");
                }

                if ((end.Value - start.Value).TotalDays > MaxCustomDays)
                {
                    throw new AcmsValidationException("period_end", $"a custom period spans at most {MaxCustomDays} days.");
                }

                period = (start.Value, end.Value);
                break;
            case "monthly":
                period = start is { } monthOf ? PreviousMonth(new DateTime(monthOf.Year, monthOf.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1)) : PreviousMonth(now);
                break;
            default:
                period = start is { } weekOf ? PreviousIsoWeek(weekOf.Date.AddDays(7)) : PreviousIsoWeek(now);
                break;
        }

        if (type != "custom" && end is not null && end != period.End)
        {
            throw new AcmsValidationException("period_end", $"a {type} report is given by period_start alone (its period ends {period.End:yyyy-MM-dd}).");
        }

        return period;
    }
}
