using Acms.Domain.Access;
using Acms.Domain.Archive;
using Acms.Domain.Database;
using Acms.Domain.Health;
using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Cleanup;
using Acms.Domain.Jobs.Decay;
using Acms.Domain.Jobs.Dedup;
using Acms.Domain.Jobs.InsightGeneration;
using Acms.Domain.Jobs.Leases;
using Acms.Domain.Jobs.Pausing;
using Acms.Domain.Jobs.TopicExtraction;
using Acms.Domain.Jobs.WeeklyReport;
using Acms.Domain.Insights;
using Acms.Domain.Privacy;
using Acms.Domain.Reports;
using Acms.Domain.Runs;
using Acms.Domain.Scheduling;
using Acms.Domain.Users;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain;

public static class AcmsDomainServiceCollectionExtensions
{
    /// <summary>Registers the database, the migrator, the job runner, every job and the read queries.</summary>
    public static IServiceCollection AddAcmsDomain(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<NpgsqlDataSource>(sp => AcmsDataSourceFactory.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.TryAddSingleton<SchemaMigrator>();
        services.AddHostedService<MigrateOnStartService>();
        services.AddHostedService<StaleRunRecovery>();

        services.TryAddSingleton<DatabaseRetry>();
        services.AddOptions<JobLeaseOptions>()
            .Bind(configuration.GetSection(JobLeaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<JobBatches>();
        services.TryAddSingleton<JobCatalog>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<JobRunQueries>();
        services.TryAddSingleton<JobScheduler>();
        services.TryAddSingleton<JobPauses>();
        services.TryAddSingleton<ScheduledRunner>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<TopicExtractionLag>();

        services.AddJob<DecayJob, DecayOptions>(configuration, JobDefinitions.Decay);
        services.AddJob<DedupJob, DedupOptions>(configuration, JobDefinitions.Dedup);
        services.AddJob<CleanupJob, CleanupOptions>(configuration, JobDefinitions.Cleanup);
        services.TryAddSingleton<ArchiveRestorer>();
        services.AddJob<TopicExtractionJob, TopicExtractionOptions>(configuration, JobDefinitions.TopicExtraction);
        services.AddJob<InsightGenerationJob, InsightGenerationOptions>(configuration, JobDefinitions.InsightGeneration);
        services.AddJob<WeeklyReportJob, WeeklyReportOptions>(configuration, JobDefinitions.WeeklyReport);
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DeploymentSecrets>();
        // The services of Insights/ and Reports/ read the jobs' settings through this one type (no service injects a job's options).
        services.AddOptions<IntelligenceSettings>()
            .Configure<IOptions<TopicExtractionOptions>, IOptions<InsightGenerationOptions>, IOptions<WeeklyReportOptions>, IOptions<CleanupOptions>>(
                (s, extraction, insight, report, cleanup) =>
                {
                    s.ExtractorVersion = extraction.Value.ExtractorVersion;
                    s.Thresholds = insight.Value.Thresholds;
                    s.KnowledgeBaseMinQuestions = report.Value.KnowledgeBaseMinQuestions;
                    s.ReportCostThresholdUsd = report.Value.CostThresholdUsd;
                    s.ArchiveRetentionDays = cleanup.Value.ArchiveRetentionDays;
                })
            // Not ValidateOnStart: every value is copied from job options that are validated at start themselves, and a
            // second start check would report the same bad setting twice (as an AggregateException instead of its message).
            .ValidateDataAnnotations();
        services.TryAddScoped<ReportService>();
        services.TryAddScoped<InsightsSummaryService>();
        services.TryAddSingleton<PrincipalDirectory>();
        services.TryAddSingleton<OrgKnowledgeQueries>();
        services.TryAddSingleton<UserDirectory>();
        services.AddAzureOpenAIChatClient(configuration);
        services.TryAddScoped(sp => new LlmTopicExtractor(sp.GetService<IChatClient>(), sp.GetRequiredService<ILogger<LlmTopicExtractor>>()));

        return services;
    }
}
