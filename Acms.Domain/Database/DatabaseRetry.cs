using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Acms.Domain.Database;

/// <summary>
/// Retries a unit of database work while its fault is transient, with exponential backoff and jitter, until
/// <see cref="DatabaseOptions.RetryBudget"/> has passed since the first attempt. A managed failover of Azure Database
/// for PostgreSQL takes 60–120 s, so the default budget (3 minutes) lets a run ride through one instead of failing.
/// </summary>
public sealed class DatabaseRetry
{
    private static readonly ResiliencePropertyKey<long> FirstAttemptAt = new("acms.retry.first-attempt");

    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;

    public DatabaseRetry(IOptions<DatabaseOptions> options, TimeProvider time, ILogger<DatabaseRetry> logger)
    {
        _time = time;
        var budget = options.Value.RetryBudget;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex
                    && Transient.IsTransient(ex)
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && time.GetElapsedTime(args.Context.Properties.GetValue(FirstAttemptAt, 0L)) < budget),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Value.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    // The exception's type and SQLSTATE only: a message can quote row values.
                    logger.LogWarning("Transient database fault ({Fault}) on attempt {Attempt}; retrying in {DelayMs} ms",
                        Transient.Describe(args.Outcome.Exception), args.AttemptNumber + 1, Math.Round(args.RetryDelay.TotalMilliseconds));
                    return default;
                },
            })
            .Build();
    }

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FirstAttemptAt, _time.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, state) => await state(ctx.CancellationToken), context, work);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Opens a pooled connection and runs <paramref name="work"/> on it, the whole retried as one.</summary>
    public Task<T> WithConnectionAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await work(connection, ct);
        }, cancellationToken);
}
