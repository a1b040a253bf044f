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

    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };
}
