using Acms.Domain.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Acms.Cli;

/// <summary>
/// <c>--telemetry console</c>: the run's spans (the run, its batches, Npgsql's SQL) and metrics printed to the terminal;
/// with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the same signals also go over OTLP (with or without the option).
/// </summary>
public static class CliTelemetry
{
    public const string Console = "console";
    public const string None = "none";

    public static bool IsValid(string? mode) => mode is null or Console or None;

    public static IServiceCollection AddCliTelemetry(this IServiceCollection services, string? mode)
    {
        var console = mode == Console;
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (!console && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("acms-cli"))
            .AddAcmsInstrumentation();
        if (console)
        {
            telemetry.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter());
        }

        if (otlp)
        {
            telemetry.WithTracing(t => t.AddOtlpExporter()).WithMetrics(m => m.AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Without a generic host nothing starts the providers: resolving them does (they flush when the container is disposed).</summary>
    public static void Start(IServiceProvider services)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
    }
}
