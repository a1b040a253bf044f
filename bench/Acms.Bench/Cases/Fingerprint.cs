using Npgsql;

namespace Acms.Bench.Cases;

public static class Fingerprint
{
    /// <summary>
    /// count + order-independent sum of the first 64 bits of md5(row text) over a query's rows: any changed column of
    /// any row changes it. <paramref name="rowsSql"/> selects one composite or text column named <c>r</c>.
    /// </summary>
    public static async Task<string> OfAsync(NpgsqlDataSource db, string rowsSql, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT count(*)::text || ':' || coalesce(sum(('x' || left(md5(q.r::text), 16))::bit(64)::bigint::numeric), 0)::text
            FROM ({rowsSql}) q
            """, connection) { CommandTimeout = 0 };
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Several tables' digests joined, each labelled.</summary>
    public static async Task<string> OfTablesAsync(NpgsqlDataSource db, CancellationToken ct, params (string Label, string RowsSql)[] parts)
    {
        var digests = new List<string>();
        foreach (var (label, sql) in parts)
        {
            digests.Add($"{label}={await OfAsync(db, sql, ct)}");
        }

        return string.Join(' ', digests);
    }
}
