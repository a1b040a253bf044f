using Acms.Domain.Demo;
using Npgsql;

namespace Acms.Bench;

/// <summary>
/// Q&amp;A rows come from <see cref="QueryHistorySeeder"/> (the demo's generator: realistic questions over 8 weeks,
/// binary COPY), so the benchmark and the demo share one generator. Their provenance comes from
/// <see cref="ProvenanceSeeder"/> (ACMS's <c>query_logs</c> for most rows, as ACMS writes them), so the privacy model's
/// provenance lookup in topic extraction's read finds what it finds in production.
/// </summary>
public static class QueryHistoryHook
{
    public const int Weeks = 8;

    /// <summary>Part of the template's name: templates built before the seeder existed hold no Q&amp;A.</summary>
    public static bool Available => true;

    /// <summary>Part of the template's name: templates built before provenance was seeded hold no <c>query_logs</c>.</summary>
    public const string Provenance = "_ql";

    public static async Task<(long Rows, string Source)> SeedAsync(NpgsqlDataSource db, IReadOnlyList<Guid> userIds, DateTime now, int queries, int seed, CancellationToken ct)
    {
        if (queries == 0)
        {
            return (0, "none asked for");
        }

        var perUserPerWeek = (int)Math.Max(1, Math.Round((double)queries / userIds.Count / Weeks));
        var rows = await QueryHistorySeeder.SeedAsync(db, userIds, now, Weeks, perUserPerWeek, seed, ct);
        // Linking ~200k rows to their logs is one statement that outlasts the default command timeout on a loaded machine.
        await using var unbounded = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        var provenance = await ProvenanceSeeder.SeedAsync(unbounded, userIds, now, seed, ct);
        return (rows + provenance.QuotingQuestions,
            $"QueryHistorySeeder, {Weeks} weeks × {perUserPerWeek}/user/week; ProvenanceSeeder, {provenance.QueryLogs:N0} query_logs rows");
    }
}
