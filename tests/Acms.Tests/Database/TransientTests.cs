using Acms.Domain.Database;
using Npgsql;

namespace Acms.Tests.Database;

public sealed class TransientTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure, true)]
    [InlineData(PostgresErrorCodes.DeadlockDetected, true)]
    [InlineData(PostgresErrorCodes.UndefinedColumn, false)]
    public void Serialization_failures_and_deadlocks_count_as_transient(string sqlState, bool transient)
    {
        Assert.Equal(transient, Transient.IsTransient(new PostgresException("x", "ERROR", "ERROR", sqlState)));
    }
}
