using System.Collections.Concurrent;
using System.Diagnostics;
using Acms.Bench;
using Dapper;
using Npgsql;

namespace Acms.Faults.Scenarios;

/// <summary>
/// The ACMS API's writes at a steady rate, open loop: an operation starts on schedule whether or not the previous one
/// finished, so a stall shows as latency instead of as fewer operations. Two touches per insert.
/// </summary>
public sealed class Writer
{
    private readonly NpgsqlDataSource _db;
    private readonly Guid[] _memories;
    private readonly Guid[] _users;
    private readonly Random _random;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _serial;

    private Writer(NpgsqlDataSource db, Guid[] memories, Guid[] users, int seed)
    {
        _db = db;
        _memories = memories;
        _users = users;
        _random = new Random(seed);
    }

    /// <summary>One operation: when it started on the writer's clock (<see cref="Now"/>), and how long it took.</summary>
    public readonly record struct Op(TimeSpan At, double Ms);

    public sealed record Sample(List<Op> Ops, List<string> Errors)
    {
        public List<double> Latencies => [.. Ops.Select(o => o.Ms)];

        /// <summary>The operations that started in [from, to): a phase inside the measured one.</summary>
        public Sample Between(TimeSpan from, TimeSpan to) => new([.. Ops.Where(o => o.At >= from && o.At < to)], Errors);
    }

    /// <summary>The writer's clock, to mark a phase's bounds in its samples.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public static async Task<Writer> CreateAsync(NpgsqlDataSource db, int seed, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var memories = (await c.QueryAsync<Guid>(new CommandDefinition("SELECT memory_id FROM memory_items TABLESAMPLE SYSTEM (20) LIMIT 20000", cancellationToken: ct))).ToArray();
        var users = (await c.QueryAsync<Guid>(new CommandDefinition("SELECT user_id FROM users LIMIT 1000", cancellationToken: ct))).ToArray();
        return new Writer(db, memories, users, seed);
    }

    public async Task<Sample> RunAsync(int perSecond, CancellationToken stop)
    {
        var latencies = new ConcurrentBag<Op>();
        var errors = new ConcurrentBag<string>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
            {
                try
                {
                    await Task.Delay(due - clock.Elapsed, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            inFlight.Add(OneAsync(i % 3 == 2, latencies, errors));
        }

        await Task.WhenAll(inFlight);
        return new Sample([.. latencies], [.. errors]);
    }

    private async Task OneAsync(bool insert, ConcurrentBag<Op> latencies, ConcurrentBag<string> errors)
    {
        var at = _clock.Elapsed;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var c = await _db.OpenConnectionAsync();
            if (insert)
            {
                var n = Interlocked.Increment(ref _serial);
                var content = $"writer memory {n} {Guid.NewGuid():N}";
                await c.ExecuteAsync("""
                    INSERT INTO memory_items (memory_id, user_id, content, content_hash, tier, created_at, updated_at, privacy_level)
                    VALUES (gen_random_uuid(), @user, @content, md5(@content), 'SHORT', @now, @now, 'INTERNAL')
                    """, new { user = _users[Pick(_users.Length)], content, now = Dataset.Now });
            }
            else
            {
                await c.ExecuteAsync(
                    "UPDATE memory_items SET last_accessed = @now, access_count = access_count + 1 WHERE memory_id = @id",
                    new { id = _memories[Pick(_memories.Length)], now = Dataset.Now });
            }

            latencies.Add(new Op(at, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            errors.Add(Acms.Domain.Database.Transient.Describe(ex));
        }
    }

    private int Pick(int length)
    {
        lock (_random)
        {
            return _random.Next(length);
        }
    }
}
