namespace Acms.Domain.Health;

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
