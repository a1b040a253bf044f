using Dapper;
using Npgsql;

namespace Acms.Tests.Infrastructure;

/// <summary>
/// Cancels a run once the database shows it has committed work, instead of after a fixed delay: a fixed delay
/// kills a run before its first batch when the machine is busy, which makes the kill tests prove nothing.
/// </summary>
public sealed class KillSwitch : IAsyncDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    private KillSwitch(NpgsqlDataSource dataSource, string committedCountSql, long atLeast)
    {
        _watch = Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(_stop.Token);
            while (!_stop.IsCancellationRequested)
            {
                if (await connection.ExecuteScalarAsync<long>(committedCountSql) >= atLeast)
                {
                    await _kill.CancelAsync();
                    return;
                }

                await Task.Delay(2, _stop.Token);
            }
        });
    }

    /// <summary>The token to pass to the run: cancelled as soon as <paramref name="committedCountSql"/> reaches <paramref name="atLeast"/>.</summary>
    public CancellationToken Token => _kill.Token;

    public static KillSwitch When(NpgsqlDataSource dataSource, string committedCountSql, long atLeast = 5) => new(dataSource, committedCountSql, atLeast);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
            // The watch stops when the test is done with it.
        }

        _kill.Dispose();
        _stop.Dispose();
    }
}
