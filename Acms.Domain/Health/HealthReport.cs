using System.Text.Json.Serialization;

namespace Acms.Domain.Health;

/// <summary>The service's health: <c>healthy</c> only when every check is.</summary>
public sealed record HealthReport(
    string Status,
    DateTime CheckedAt,
    HealthCheck Database,
    MigrationsHealth? Migrations,
    IReadOnlyList<JobHealth> Jobs,
    TopicExtractionLagHealth? TopicExtraction)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    [JsonIgnore]
    public bool IsHealthy => Status == Healthy;
}
