using Acms.Domain.Jobs;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Tests.Jobs;

/// <summary>A job that holds its lock for a while inside PostgreSQL, so the timeout must cancel a real query.</summary>
internal sealed class SleepJob(NpgsqlDataSource db, IOptionsSnapshot<SleepOptions> options) : IJob
{
    public static readonly JobDefinition Definition = new("sleep", "Test sleeper", "Sleep", "SleepSchedule", "0 0 0 * * *");

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_sleep(@s)", new { s = options.Value.Seconds }, cancellationToken: cancellationToken));
    }
}
