using System.ComponentModel.DataAnnotations;
using Acms.Domain.Jobs;

namespace Acms.Tests.Jobs;

public sealed class SleepOptions : JobOptions
{
    [Range(0, 600)]
    public double Seconds { get; set; }
}
