using Acms.Domain.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Acms.Tests.Database;

public sealed class TransientTests
{
    [Fact]
    public async Task A_batch_that_hits_a_transient_fault_is_retried_until_it_succeeds()
    {
        var attempts = 0;
        var result = await Transient.RetryAsync(_ =>
        {
            attempts++;
            return attempts < 3 ? throw new NpgsqlException("connection reset", new IOException("reset by peer")) : Task.FromResult(42);
        }, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        Assert.Equal((42, 3), (result, attempts));
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_gives_up_after_the_last_attempt()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<NpgsqlException>(() => Transient.RetryAsync<int>(_ =>
        {
            attempts++;
            throw new NpgsqlException("connection reset", new IOException("reset by peer"));
        }, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(Transient.MaxAttempts, attempts);
    }

    [Fact]
    public async Task A_permanent_error_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<PostgresException>(() => Transient.RetryAsync<int>(_ =>
        {
            attempts++;
            throw new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        }, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure, true)]
    [InlineData(PostgresErrorCodes.DeadlockDetected, true)]
    [InlineData(PostgresErrorCodes.UndefinedColumn, false)]
    public void Serialization_failures_and_deadlocks_count_as_transient(string sqlState, bool transient)
    {
        Assert.Equal(transient, Transient.IsTransient(new PostgresException("x", "ERROR", "ERROR", sqlState)));
    }
}
