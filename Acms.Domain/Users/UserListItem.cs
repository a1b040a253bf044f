namespace Acms.Domain.Users;

/// <summary>A user as the dashboard's user picker shows it: identity only, no content.</summary>
public sealed record UserListItem(Guid UserId, string Username, string? DisplayName, bool IsActive);
