using System.Reflection;
using Npgsql;

namespace Acms.Bench;

/// <summary>
/// Q&amp;A rows come from the intelligence branch's <c>Acms.Domain.Demo.QueryHistorySeeder.SeedAsync(db, userIds, now, weeks,
/// perUserPerWeek, seed, ct)</c> so the benchmark and the demo share one generator. Until that class is in Acms.Domain the
/// hook loads nothing and says so (no job on this branch reads query_history).
/// </summary>
public static class QueryHistoryHook
{
    public const int Weeks = 8;

    private static MethodInfo? Seeder { get; } = typeof(Acms.Domain.Database.SchemaMigrator).Assembly
        .GetType("Acms.Domain.Demo.QueryHistorySeeder")?.GetMethod("SeedAsync", BindingFlags.Public | BindingFlags.Static);

    public static bool Available => Seeder is not null;

    public static async Task<(long Rows, string Source)> SeedAsync(NpgsqlDataSource db, IReadOnlyList<Guid> userIds, DateTime now, int queries, int seed, CancellationToken ct)
    {
        if (queries == 0)
        {
            return (0, "none asked for");
        }

        var method = Seeder;
        if (method is null)
        {
            return (0, "skipped: Acms.Domain.Demo.QueryHistorySeeder is not in this build yet");
        }

        var perUserPerWeek = (int)Math.Max(1, Math.Round((double)queries / userIds.Count / Weeks));
        var task = (Task)method.Invoke(null, [db, userIds, now, Weeks, perUserPerWeek, seed, ct])!;
        await task;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM query_history", connection);
        var rows = (long)(await count.ExecuteScalarAsync(ct))!;
        return (rows, $"QueryHistorySeeder, {Weeks} weeks × {perUserPerWeek}/user/week");
    }
}
