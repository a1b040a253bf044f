using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Database;

/// <summary>Retries one batch on a transient PostgreSQL fault (connection loss, serialization failure, deadlock) with backoff.</summary>
public static class Transient
{
    public const int MaxAttempts = 4;

    public static async Task<T> RetryAsync<T>(
        Func<CancellationToken, Task<T>> batch, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await batch(cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1));
                logger.LogWarning(ex, "Transient database fault on attempt {Attempt}; retrying the batch in {DelayMs} ms", attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

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
