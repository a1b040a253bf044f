using Acms.Domain.Telemetry;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Acms.Functions.Telemetry;

/// <summary>
/// The worker's telemetry. Logs go through the Application Insights SDK, as before, but without its Warning-only default
/// rule, so the runner's Information logs ("Job … succeeded", counts, durations) arrive. Traces and metrics go through
/// OpenTelemetry with the isolated worker's support (invocation spans, trace context from the host): the
/// <c>Acms.Jobs</c> spans and metrics and Npgsql's SQL spans, exported to Azure Monitor with Entra ID auth (the app's
/// managed identity) when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, and over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class WorkerTelemetry
{
    /// <summary>The provider whose default rule (Warning and above only) the isolated-worker guide removes.</summary>
    public const string ApplicationInsightsLoggerProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    public const string ServiceName = "acms-jobs";

    /// <summary>The worker capability that switches the worker to OpenTelemetry schema 1.37.0 log scopes.</summary>
    public const string OpenTelemetrySchemaCapability = "WorkerOpenTelemetrySchemaVersion";

    public static IServiceCollection AddAcmsWorkerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights()
            .Configure<LoggerFilterOptions>(options =>
            {
                // The Application Insights SDK adds a rule keeping only Warning and above for its provider; without
                // removing it, host.json's Information levels never reach Application Insights.
                options.Rules.Where(rule => rule.ProviderName == ApplicationInsightsLoggerProvider).ToList()
                    .ForEach(rule => options.Rules.Remove(rule));
            });

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .AddAcmsInstrumentation();

        // UseFunctionsWorkerDefaults (1.2.0) also advertises OpenTelemetry schema 1.37.0, whose log scopes lack the
        // invocation id the host needs to place a worker log line: the host then drops every worker log from its console
        // and the log stream (azure-functions-dotnet-worker#3489). Operators read those lines ("Job … succeeded", the
        // ignored-principal warning), so the worker keeps the default schema; spans and metrics are unaffected.
        services.Configure<WorkerOptions>(options => options.Capabilities.Remove(OpenTelemetrySchemaCapability));

        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            // Application Insights has local (key) auth disabled: the exporter signs in as the app's managed identity.
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] is { Length: > 0 } id ? id : null,
            });
            telemetry
                .WithTracing(tracing => tracing.AddAzureMonitorTraceExporter(o => { o.ConnectionString = connectionString; o.Credential = credential; }))
                .WithMetrics(metrics => metrics.AddAzureMonitorMetricExporter(o => { o.ConnectionString = connectionString; o.Credential = credential; }));
        }

        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        return services;
    }
}
