using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>Reads a batch of users' memories and plans each user's merges, users in parallel. Only this batch is held in memory.</summary>
internal sealed class DedupReader(JobBatches batches, ILogger logger)
{
    public async Task<bool> IsUtf8Async(CancellationToken cancellationToken)
    {
        var encoding = await batches.ReadAsync((connection, ct) =>
            connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_setting('server_encoding')", cancellationToken: ct)), cancellationToken);
        if (encoding != "UTF8")
        {
            logger.LogWarning("Database encoding is {Encoding}, not UTF8: dedup compares texts without NFKC normalization", encoding);
        }

        return encoding == "UTF8";
    }

    public Task<List<Guid>> UsersAsync(Guid after, int limit, CancellationToken cancellationToken) => batches.ReadAsync(async (connection, ct) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition(DedupSql.UsersSql, new { After = after, Limit = limit }, cancellationToken: ct))).AsList(),
        cancellationToken);

    public async Task<List<DuplicateGroup>> PlanAsync(string scanSql, List<Guid> users, DuplicatePlanner planner, int parallelism, CancellationToken cancellationToken)
    {
        // Read whole on every try: a retry after a fault mid-stream starts from an empty map.
        var byUser = await batches.ReadAsync(async (connection, ct) =>
        {
            var rows = new Dictionary<Guid, UserMemories>();
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(scanSql, new { Users = users.ToArray() }, cancellationToken: ct));
            while (await reader.ReadAsync(ct))
            {
                var userId = reader.GetGuid(0);
                if (!rows.TryGetValue(userId, out var memories))
                {
                    rows[userId] = memories = new UserMemories(userId);
                }

                memories.Add(Read(reader), reader.GetString(3));
            }

            return rows;
        }, cancellationToken);

        var perUser = byUser.Values.Where(u => u.Members.Count > 1).ToArray();
        var found = new List<DuplicateGroup>[perUser.Length];
        Parallel.For(0, perUser.Length, new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount,
        }, i => found[i] = planner.Plan(perUser[i].UserId, perUser[i].Members, perUser[i].Texts));

        // Users in key order: the same list on every run over the same rows.
        return [.. perUser.Zip(found).OrderBy(p => p.First.UserId, GuidOrder.Instance).SelectMany(p => p.Second)];
    }

    private static Member Read(DbDataReader reader) => new()
    {
        MemoryId = reader.GetGuid(1),
        UserId = reader.GetGuid(0),
        ContentHash = reader.GetString(2),
        Crs = reader.GetDouble(4),
        Secondary = reader.GetDouble(5),
        CreatedAt = reader.GetDateTime(6),
    };
}
