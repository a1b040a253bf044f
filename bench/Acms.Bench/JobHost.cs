using Acms.Domain;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acms.Bench;

/// <summary>
/// The domain's real service graph over one bench database, built the way the tests build it, at a fixed "now"; with
/// <c>llmLatency</c>, topic extraction's LLM tier runs against <see cref="SimulatedChatClient"/>.
/// </summary>
public static class JobHost
{
    public static ServiceProvider Build(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? llmLatency = null)
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
        if (llmLatency is { } latency)
        {
            services.AddSingleton<IChatClient>(new SimulatedChatClient(latency));
        }

        services.AddAcmsDomain(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
