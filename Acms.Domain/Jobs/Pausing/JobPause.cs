namespace Acms.Domain.Jobs.Pausing;

/// <summary>Why a job is paused: who paused it, when, and the reason they gave (stored in <c>job_pauses</c>).</summary>
public sealed record JobPause(string By, DateTime At, string? Reason)
{
    /// <summary>The reason a skipped timer or scheduler run is recorded with: <c>paused: &lt;reason&gt; (by …, since …)</c>.</summary>
    public string SkipReason => $"paused: {Reason ?? "no reason given"} (by {By} since {At:yyyy-MM-dd HH:mm:ss} UTC)";
}
