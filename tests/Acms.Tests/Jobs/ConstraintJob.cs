using Acms.Domain.Jobs;
using Dapper;
using Npgsql;

namespace Acms.Tests.Jobs;

/// <summary>A job whose statement violates a constraint: the database's message names the table and the constraint.</summary>
internal sealed class ConstraintJob(NpgsqlDataSource db) : IJob
{
    public static readonly JobDefinition Definition = new("constraint", "Test constraint violation", "Constraint", "ConstraintSchedule", "0 0 0 * * *");

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (user_id, username) VALUES ('00000000-0000-0000-0000-000000000001', 'a'), ('00000000-0000-0000-0000-000000000001', 'b')",
            cancellationToken: cancellationToken));
    }
}
