namespace Acms.Domain.Health;

public sealed record HealthCheck(string Status, string? Reason = null);
