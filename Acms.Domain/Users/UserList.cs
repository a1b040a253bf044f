namespace Acms.Domain.Users;

public sealed record UserList(IReadOnlyList<UserListItem> Users, int Count);
