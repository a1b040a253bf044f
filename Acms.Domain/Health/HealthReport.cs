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

public sealed record HealthCheck(string Status, string? Reason = null);

/// <summary>Embedded migrations of this build against the database's journal.</summary>
public sealed record MigrationsHealth(string Status, int Expected, int Applied, IReadOnlyList<int> Pending, string? Reason);

/// <summary>
/// One job. <c>State</c>: <c>ok</c> (succeeded within two scheduled periods), <c>pending</c> (never succeeded, still
/// within two periods of installation), <c>late</c> (unhealthy), <c>disabled</c>, <c>paused</c>.
/// </summary>
public sealed record JobHealth(
    string Job,
    string Status,
    string State,
    string Schedule,
    string ScheduleSetting,
    bool Enabled,
    bool Paused,
    DateTime? LastSuccessAt,
    DateTime? UnhealthyAfter,
    string? Reason);

/// <summary>Age of the oldest Q&amp;A not yet examined by topic extraction (0 when up to date).</summary>
public sealed record TopicExtractionLagHealth(string Status, double LagSeconds, DateTime? OldestPendingAt, string? Reason);
