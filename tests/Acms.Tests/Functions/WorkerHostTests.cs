using System.Reflection;
using Acms.Functions;
using Acms.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acms.Tests.Functions;

/// <summary>The worker's real composition (Program.cs calls the same ConfigureAcmsFunctions), built with validation on.</summary>
public sealed class WorkerHostTests
{
    private static IHost BuildWorker(IDictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureAcmsFunctions();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        return builder.Build();
    }

    private static readonly Dictionary<string, string?> ValidSettings = new()
    {
        ["ConnectionStrings:Acms"] = "Host=127.0.0.1;Port=1;Database=acms;Username=acms",
    };

    public static TheoryData<Type> FunctionClasses()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(AcmsFunctionsSetup).Assembly.GetTypes()
                     .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void Every_function_class_resolves_from_the_validated_container(Type functionClass)
    {
        using var host = BuildWorker(ValidSettings);
        using var invocation = host.Services.CreateScope(); // the worker activates function classes in each invocation's scope

        Assert.NotNull(ActivatorUtilities.CreateInstance(invocation.ServiceProvider, functionClass));
    }

    [Fact]
    public void Options_of_every_job_validate_at_start()
    {
        using var host = BuildWorker(ValidSettings);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void A_missing_connection_string_stops_the_worker_at_start_with_a_clear_message()
    {
        using var host = BuildWorker(new Dictionary<string, string?>());

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ConnectionStrings:Acms", error.Message);
    }

    [Fact]
    public void A_malformed_schedule_stops_the_worker_at_start()
    {
        using var host = BuildWorker(new Dictionary<string, string?>(ValidSettings) { ["DecaySchedule"] = "every day at 3" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("six-field CRON", error.Message);
    }

    [Fact]
    public void The_sample_settings_build_a_valid_worker()
    {
        Assert.True(File.Exists(RepositoryFiles.At("local.settings.sample.json")));
        var sample = new ConfigurationBuilder().AddJsonFile(RepositoryFiles.At("local.settings.sample.json")).Build();
        var settings = sample.GetSection("Values").GetChildren().ToDictionary(c => c.Key.Replace("__", ":", StringComparison.Ordinal), c => c.Value);
        settings["ConnectionStrings:Acms"] = sample.GetConnectionString("Acms");

        using var host = BuildWorker(settings);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}
