namespace Acms.Domain.Jobs;

public sealed class UnknownJobException(string job, IReadOnlyList<string> known)
    : ArgumentException($"Unknown job '{job}'. Known jobs: {string.Join(", ", known)}.")
{
    public string Job { get; } = job;
}
