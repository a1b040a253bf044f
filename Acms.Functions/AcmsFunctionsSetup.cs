using Acms.Domain;
using Acms.Functions.Dashboard;
using Acms.Functions.Http;
using Acms.Functions.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Acms.Functions;

public static class AcmsFunctionsSetup
{
    /// <summary>Everything the worker needs: ASP.NET Core HTTP integration, problem-details errors, telemetry and the domain.</summary>
    public static FunctionsApplicationBuilder ConfigureAcmsFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ProblemDetailsMiddleware>();
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights()
            .AddAcmsDomain(builder.Configuration)
            .AddSingleton<JobTriggers>()
            .AddSingleton<DashboardAssets>();
        return builder;
    }
}
