using Acms.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acms.Bench;

/// <summary>The domain's real service graph over one bench database, built the way the tests build it, at a fixed "now".</summary>
public static class JobHost
{
    public static ServiceProvider Build(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["ConnectionStrings:Acms"] = connectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new FixedTimeProvider(new DateTimeOffset(Dataset.Now)));
        services.AddAcmsDomain(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

/// <summary>
/// Always <see cref="Dataset.Now"/>: the dataset's ages are relative to it, and the floor must use the same "now" as the job
/// for the end states to be comparable. Timers (the job timeout) still run on real time.
/// </summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
