using System.Reflection;
using Acms.Functions;
using Acms.Functions.Telemetry;
using Acms.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

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
                     .Where(t => !(t.IsAbstract && t.IsSealed)) // a static class of functions needs no instance
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

    [Fact]
    public void Information_logs_reach_application_insights_because_its_warning_only_rule_is_removed()
    {
        // The control: the Application Insights SDK alone registers a Warning-only rule for its provider.
        using (var plain = new ServiceCollection().AddLogging().AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights().BuildServiceProvider())
        {
            Assert.Contains(plain.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules,
                r => r.ProviderName == WorkerTelemetry.ApplicationInsightsLoggerProvider && r.LogLevel == LogLevel.Warning);
        }

        using var host = BuildWorker(ValidSettings);

        var rules = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;
        Assert.DoesNotContain(rules, r => r.ProviderName == WorkerTelemetry.ApplicationInsightsLoggerProvider);
        Assert.Contains(host.Services.GetServices<ILoggerProvider>(), p => p.GetType().FullName == WorkerTelemetry.ApplicationInsightsLoggerProvider);
        Assert.True(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acms.Domain.Jobs.JobRunner").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void The_worker_keeps_the_log_schema_the_host_places_worker_logs_by()
    {
        // The control: the isolated worker's OpenTelemetry defaults alone advertise schema 1.37.0 (its logs then never
        // reach the host's console or log stream); the end-to-end spoofed-principal test reads a worker warning there.
        using (var plain = new ServiceCollection().AddOptions().AddOpenTelemetry().UseFunctionsWorkerDefaults().Services.BuildServiceProvider())
        {
            Assert.True(plain.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities.ContainsKey(WorkerTelemetry.OpenTelemetrySchemaCapability));
        }

        using var host = BuildWorker(ValidSettings);

        var capabilities = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities;
        Assert.DoesNotContain(WorkerTelemetry.OpenTelemetrySchemaCapability, capabilities.Keys);
    }

    [Fact]
    public void The_worker_collects_opentelemetry_traces_and_metrics()
    {
        using var host = BuildWorker(ValidSettings);

        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void A_schedule_under_the_jobs_section_is_a_second_truth_and_stops_the_worker_at_start()
    {
        using var host = BuildWorker(new Dictionary<string, string?>(ValidSettings) { ["Jobs:Decay:Schedule"] = "0 0 4 * * *" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Jobs:Decay:Schedule", error.Message);
        Assert.Contains("DecaySchedule", error.Message);
    }

    [Fact]
    public void A_schedule_the_functions_host_would_reject_stops_the_worker_at_start_with_the_setting_named()
    {
        using var host = BuildWorker(new Dictionary<string, string?>(ValidSettings) { ["WeeklyReportSchedule"] = "0 0 6 ? * MON" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("WeeklyReportSchedule '0 0 6 ? * MON'", error.Message);
        Assert.Contains("'?'", error.Message);
    }
}
