using System.ComponentModel.DataAnnotations;
using Acms.Domain.Jobs;

namespace Acms.Tests.Jobs.Leases;

public sealed class BatchingOptions : JobOptions
{
    [Range(1, 100_000)]
    public int Batches { get; set; } = 20;

    [Range(0, 10_000)]
    public int PauseMs { get; set; } = 50;

    /// <summary>Time each batch spends in the database (pg_sleep inside its transaction).</summary>
    [Range(0, 10_000)]
    public int BatchMs { get; set; }
}
