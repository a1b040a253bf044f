using Acms.Domain.Demo;
using Npgsql;

namespace Acms.Bench;

/// <summary>
/// Q&amp;A rows come from <see cref="QueryHistorySeeder"/> (the demo's generator: realistic questions over 8 weeks,
/// binary COPY), so the benchmark and the demo share one generator.
/// </summary>
public static class QueryHistoryHook
{
    public const int Weeks = 8;

    /// <summary>Part of the template's name: templates built before the seeder existed hold no Q&amp;A.</summary>
    public static bool Available => true;

    public static async Task<(long Rows, string Source)> SeedAsync(NpgsqlDataSource db, IReadOnlyList<Guid> userIds, DateTime now, int queries, int seed, CancellationToken ct)
    {
        if (queries == 0)
        {
            return (0, "none asked for");
        }

        var perUserPerWeek = (int)Math.Max(1, Math.Round((double)queries / userIds.Count / Weeks));
        var rows = await QueryHistorySeeder.SeedAsync(db, userIds, now, Weeks, perUserPerWeek, seed, ct);
        return (rows, $"QueryHistorySeeder, {Weeks} weeks × {perUserPerWeek}/user/week");
    }
}
