using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Acms.Domain.Telemetry;

public static class AcmsTelemetryExtensions
{
    /// <summary>
    /// What every host of the jobs collects: the <c>Acms.Jobs</c> spans and metrics, the topic extraction lag gauge and
    /// Npgsql's own SQL spans. Exporters are the host's choice (Azure Monitor / OTLP in the worker, console / OTLP in the CLI).
    /// </summary>
    public static IOpenTelemetryBuilder AddAcmsInstrumentation(this IOpenTelemetryBuilder builder)
    {
        builder.Services.TryAddSingleton<TopicExtractionLagGauge>();
        return builder
            .WithTracing(tracing => tracing.AddSource(JobTelemetry.Name).AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(JobTelemetry.Name)
                .AddInstrumentation(sp => sp.GetRequiredService<TopicExtractionLagGauge>()));
    }
}
