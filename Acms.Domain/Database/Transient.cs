using Npgsql;

namespace Acms.Domain.Database;

/// <summary>
/// Which PostgreSQL faults pass (and so are worth a retry by <see cref="DatabaseRetry"/>), and how to name one in a log
/// without its message.
/// </summary>
public static class Transient
{
    /// <summary>
    /// Faults that pass: a lost or refused connection, a server shutting down or starting (57P01–57P03), any connection
    /// exception (class 08), a primary that became read-only during a failover (25006), serialization failures and deadlocks.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    };

    /// <summary>A fault named without its message (messages can quote row values): the type and the SQLSTATE.</summary>
    public static string Describe(Exception? ex) => ex switch
    {
        null => "none",
        PostgresException pg => $"{pg.GetType().Name} {pg.SqlState}",
        _ => ex.InnerException is { } inner ? $"{ex.GetType().Name} ({inner.GetType().Name})" : ex.GetType().Name,
    };
}
