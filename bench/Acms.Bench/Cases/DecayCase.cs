using Acms.Domain.Jobs.Decay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Bench.Cases;

/// <summary>
/// Floor: one UPDATE over every eligible row with the job's own per-day formula and parameters (same now, rate, grace,
/// floor): scores × (1 − rate)^days, never below the floor, a score already at or below it untouched, and
/// last_decayed_at advanced by the whole days applied.
/// </summary>
public sealed class DecayCase : IBenchCase
{
    public string Job => "decay";

    public string? Floor => "one UPDATE … WHERE eligible with the job's per-day formula (GREATEST(floor, score × 0.95^days), scores ≤ floor untouched, last_decayed_at += days)";

    public Target Target { get; } = new(MaxRatio: 1.25);

    private const string DecayFrom = "GREATEST(COALESCE(last_accessed, created_at) + @Grace, COALESCE(last_decayed_at, '-infinity'::timestamptz))";
    private const string Days = $"floor(extract(epoch FROM (@Now - {DecayFrom})) / 86400)::int";

    private const string FloorSql = $"""
        UPDATE memory_items
        SET crs_score       = CASE WHEN crs_score       <= @Floor THEN crs_score       ELSE GREATEST(@Floor, crs_score       * power(@Factor, {Days})) END,
            outcome_score   = CASE WHEN outcome_score   <= @Floor THEN outcome_score   ELSE GREATEST(@Floor, outcome_score   * power(@Factor, {Days})) END,
            frequency_score = CASE WHEN frequency_score <= @Floor THEN frequency_score ELSE GREATEST(@Floor, frequency_score * power(@Factor, {Days})) END,
            last_decayed_at = {DecayFrom} + {Days} * interval '1 day'
        WHERE COALESCE(last_accessed, created_at) <= @Now - @Grace - interval '1 day'
          AND (last_decayed_at IS NULL OR last_decayed_at <= @Now - interval '1 day')
        """;

    public async Task<long> RunFloorAsync(NpgsqlDataSource db, IServiceProvider services, CancellationToken ct)
    {
        var o = services.GetRequiredService<IOptionsMonitor<DecayOptions>>().CurrentValue;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(FloorSql, connection) { CommandTimeout = 0 };
        // The same parameter values and types the job sends (Dapper: DateTime → timestamptz, TimeSpan → interval, double).
        cmd.Parameters.AddWithValue("Now", Dataset.Now);
        cmd.Parameters.AddWithValue("Grace", TimeSpan.FromDays(o.GraceDays));
        cmd.Parameters.AddWithValue("Factor", 1.0 - o.Rate);
        cmd.Parameters.AddWithValue("Floor", o.Floor);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public Task<string> FingerprintAsync(NpgsqlDataSource db, CancellationToken ct) =>
        Fingerprint.OfTablesAsync(db, ct, ("memory_items", "SELECT m AS r FROM memory_items m"));
}
