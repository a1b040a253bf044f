namespace Acms.Domain.Runs;

/// <summary>The runs list's filters, validated: a job, status or trigger the ledger cannot hold is rejected, not ignored.</summary>
public sealed record JobRunFilter(string? Job = null, string? Status = null, string? Trigger = null, int Limit = 50);
