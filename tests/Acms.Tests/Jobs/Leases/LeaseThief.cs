using Npgsql;

namespace Acms.Tests.Jobs.Leases;

/// <summary>
/// Hands a job's lease to another run at the moment the job's first write to a table commits: a statement trigger takes
/// the lease over inside that batch's own transaction, so the takeover lands exactly between that batch and the next.
/// A takeover from outside races a run whose batches take milliseconds, and on a busy machine lands after its last one.
/// </summary>
public static class LeaseThief
{
    /// <returns>The run that holds the lease after the takeover.</returns>
    public static async Task<Guid> OnFirstInsertAsync(NpgsqlDataSource db, string job, string table)
    {
        var thief = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE FUNCTION take_over_lease() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE job_leases SET holder_run_id = '{thief}', fencing_token = fencing_token + 1, heartbeat_at = now()
                WHERE job_name = '{job}' AND holder_run_id <> '{thief}';
                RETURN NULL;
            END $$;
            CREATE TRIGGER take_over_lease AFTER INSERT ON {table} FOR EACH STATEMENT EXECUTE FUNCTION take_over_lease();
            """;
        await command.ExecuteNonQueryAsync();
        return thief;
    }
}
