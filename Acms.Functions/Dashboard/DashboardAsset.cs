namespace Acms.Functions.Dashboard;

/// <summary>One embedded dashboard file, ready to send.</summary>
public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);
