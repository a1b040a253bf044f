using Acms.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Acms.Tests.Infrastructure;

/// <summary>The domain's real service graph over a test database, with fake time and settings of the test's choosing.</summary>
public static class TestHost
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);

    public static ServiceProvider Build(
        TestDatabase database,
        TimeProvider? time = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection, IConfiguration>? configure = null)
    {
        var values = new Dictionary<string, string?> { ["ConnectionStrings:Acms"] = database.ConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(time ?? new FakeTimeProvider(Epoch));
        services.AddAcmsDomain(configuration);
        configure?.Invoke(services, configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
