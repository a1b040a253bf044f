using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Database;

/// <summary>How the service reaches PostgreSQL. Bound from <c>ConnectionStrings:Acms</c> and the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Acms";

    [Required(ErrorMessage = "ConnectionStrings:Acms (env ConnectionStrings__Acms) is not set: point it at the ACMS PostgreSQL database.")]
    public string? ConnectionString { get; set; }

    /// <summary>Auto: Entra ID token when the connection string has no password and the host is Azure Database for PostgreSQL.</summary>
    public DatabaseAuthentication Authentication { get; set; } = DatabaseAuthentication.Auto;

    /// <summary>Client id of a user-assigned managed identity used for the Entra ID token (optional).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Apply pending migrations when the host starts.</summary>
    public bool MigrateOnStart { get; set; }

    [Range(1, 86_400)]
    public int CommandTimeoutSeconds { get; set; } = 600;

    /// <summary>How long a batch is retried while its database fault is transient (a restart, a failover).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The first retry's delay; each next one doubles it (with jitter), up to 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
