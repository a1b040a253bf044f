namespace Acms.Domain.Insights;

/// <summary>Whole UTC days: <c>start</c> is the first day, <c>end</c> the day after today (exclusive).</summary>
public sealed record SummaryPeriod(DateTime Start, DateTime End, int Days);
