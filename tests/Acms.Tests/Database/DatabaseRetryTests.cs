using System.Diagnostics;
using Acms.Domain.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Tests.Database;

public sealed class DatabaseRetryTests
{
    private static DatabaseRetry Retry(TimeSpan budget) => new(
        Options.Create(new DatabaseOptions { RetryBudget = budget, RetryBaseDelay = TimeSpan.FromMilliseconds(5) }),
        TimeProvider.System, NullLogger<DatabaseRetry>.Instance);

    private static NpgsqlException ConnectionReset() => new("connection reset", new IOException("reset by peer"));

    [Fact]
    public async Task Work_that_meets_transient_faults_is_retried_until_it_succeeds()
    {
        var attempts = 0;
        var result = await Retry(TimeSpan.FromSeconds(30)).ExecuteAsync(_ => ++attempts < 6 ? throw ConnectionReset() : Task.FromResult(42), CancellationToken.None);

        Assert.Equal((42, 6), (result, attempts));
    }

    [Fact]
    public async Task Retrying_stops_once_the_budget_has_passed()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<NpgsqlException>(() => Retry(TimeSpan.FromSeconds(2)).ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw ConnectionReset();
        }, CancellationToken.None));

        // It keeps trying until the budget has passed (never gives up early), then stops. How many tries fit in the
        // budget depends on the machine's load (a cold first try can take most of a second), so only "more than one".
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.True(attempts >= 2, $"{attempts} attempts");
    }

    [Fact]
    public async Task A_permanent_error_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<PostgresException>(() => Retry(TimeSpan.FromSeconds(30)).ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        }, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.CrashShutdown, true)]
    [InlineData(PostgresErrorCodes.CannotConnectNow, true)]
    [InlineData(PostgresErrorCodes.ConnectionFailure, true)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction, true)]
    [InlineData(PostgresErrorCodes.UndefinedTable, false)]
    [InlineData(PostgresErrorCodes.CheckViolation, false)]
    public void Restarts_failovers_and_lost_connections_are_transient(string sqlState, bool transient) =>
        Assert.Equal(transient, Transient.IsTransient(new PostgresException("x", "FATAL", "FATAL", sqlState)));
}
