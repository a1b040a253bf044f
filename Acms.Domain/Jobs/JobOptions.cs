using System.ComponentModel.DataAnnotations;
using Cronos;

namespace Acms.Domain.Jobs;

/// <summary>Settings every job has. Bound from <c>Jobs:&lt;Job&gt;</c>; the schedule from the job's flat schedule setting.</summary>
public abstract class JobOptions : IValidatableObject
{
    /// <summary>False stops scheduled runs (recorded as skipped); manual runs (HTTP, CLI) still run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A run is cancelled after this long and recorded as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Rows per transaction.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Six-field NCRONTAB (seconds first), UTC.</summary>
    public string Schedule { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Timeout must be positive.", [nameof(Timeout)]);
        }

        if (!JobSchedule.TryParse(Schedule, out _))
        {
            yield return new ValidationResult($"Schedule '{Schedule}' is not a six-field CRON expression (second minute hour day month weekday).", [nameof(Schedule)]);
        }

        foreach (var result in ValidateJob())
        {
            yield return result;
        }
    }

    protected virtual IEnumerable<ValidationResult> ValidateJob() => [];
}

public static class JobSchedule
{
    public static bool TryParse(string? expression, out CronExpression? cron)
    {
        cron = null;
        if (string.IsNullOrWhiteSpace(expression) || expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
        {
            return false;
        }

        return CronExpression.TryParse(expression, CronFormat.IncludeSeconds, out cron);
    }

    public static DateTime? NextAfter(string expression, DateTime utcNow) =>
        TryParse(expression, out var cron) ? cron!.GetNextOccurrence(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), TimeZoneInfo.Utc) : null;
}
