using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.Leases;

/// <summary>How long a run's lease lives without a heartbeat. Bound from <c>Jobs:Lease</c>.</summary>
public sealed class JobLeaseOptions : IValidatableObject
{
    public const string Section = "Jobs:Lease";

    /// <summary>Another run takes the lease over only when the holder's heartbeat is older than this.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a running run refreshes its heartbeat between batches (every batch refreshes it too).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Jobs:Lease:HeartbeatInterval must be positive.", [nameof(HeartbeatInterval)]);
        }

        // At least three heartbeats fit in the timeout, so one slow or failed heartbeat does not hand the job to another run.
        if (Timeout < HeartbeatInterval * 3)
        {
            yield return new ValidationResult("Jobs:Lease:Timeout must be at least three times Jobs:Lease:HeartbeatInterval.", [nameof(Timeout)]);
        }
    }
}
