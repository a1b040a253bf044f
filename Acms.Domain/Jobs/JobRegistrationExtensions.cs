using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acms.Domain.Jobs;

public static class JobRegistrationExtensions
{
    /// <summary>
    /// Registers a job, its options (bound from <c>Jobs:&lt;Section&gt;</c>, validated at start) and its schedule, read only
    /// from the flat setting the timer uses (<c>DecaySchedule</c>); a second schedule under <c>Jobs:&lt;Section&gt;</c> is an error.
    /// </summary>
    public static IServiceCollection AddJob<TJob, TOptions>(this IServiceCollection services, IConfiguration configuration, JobDefinition definition)
        where TJob : class, IJob
        where TOptions : JobOptions, new()
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(definition.OptionsPath))
            .PostConfigure(o =>
            {
                o.Schedule = FirstNonEmpty(configuration[definition.ScheduleSetting], definition.DefaultSchedule);
                o.ScheduleSetting = definition.ScheduleSetting;
            })
            .Validate(
                _ => string.IsNullOrEmpty(configuration[$"{definition.OptionsPath}:Schedule"]),
                $"{definition.OptionsPath}:Schedule (env {definition.OptionsPath.Replace(":", "__", StringComparison.Ordinal)}__Schedule) is not read: the Functions timer reads {definition.ScheduleSetting}, so set the schedule there (one setting for the timer, the status API, the scheduler and the dashboard) and remove this one.")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddKeyedScoped<IJob, TJob>(definition.Name);
        services.AddSingleton(new JobRegistration(definition, sp => sp.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue));
        return services;
    }

    private static string FirstNonEmpty(params string?[] values) => values.First(v => !string.IsNullOrWhiteSpace(v))!;
}
