namespace Acms.Domain.Jobs;

/// <summary>Why a run started when it did, kept in the ledger.</summary>
/// <param name="PastDue">A scheduled run started late: the timer or scheduler caught up an occurrence missed while it was down.</param>
/// <param name="Attempt">1 for the first try of a scheduled run, 2… for its retries after a failure.</param>
/// <param name="RetryOf">The first try's run id, on a retry.</param>
public sealed record RunOrigin(bool PastDue = false, int Attempt = 1, Guid? RetryOf = null)
{
    public static readonly RunOrigin Now = new();
}
