namespace Acms.Domain.Database;

public enum DatabaseAuthentication
{
    Auto,
    Password,
    EntraId,
}
