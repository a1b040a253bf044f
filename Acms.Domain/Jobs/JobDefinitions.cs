namespace Acms.Domain.Jobs;

/// <summary>The six ACMS jobs, in the order they run on a day that has them all.</summary>
public static class JobDefinitions
{
    public static readonly JobDefinition InsightGeneration = new("insight_generation", "Daily insight generation", "InsightGeneration", "InsightGenerationSchedule", "0 0 2 * * *");
    public static readonly JobDefinition Decay = new("decay", "Daily importance decay", "Decay", "DecaySchedule", "0 0 3 * * *");
    public static readonly JobDefinition Dedup = new("dedup", "Weekly deduplication", "Dedup", "DedupSchedule", "0 0 4 * * 0");
    public static readonly JobDefinition Cleanup = new("cleanup", "Weekly cleanup", "Cleanup", "CleanupSchedule", "0 0 5 * * 0");
    public static readonly JobDefinition WeeklyReport = new("weekly_report", "Weekly intelligence report", "WeeklyReport", "WeeklyReportSchedule", "0 0 6 * * 1");
    public static readonly JobDefinition TopicExtraction = new("topic_extraction", "Hourly topic extraction", "TopicExtraction", "TopicExtractionSchedule", "0 0 * * * *");

    /// <summary>The order a night runs them in: topics of the last hour first, then 02:00 insights … 06:00 Monday report.</summary>
    public static IReadOnlyList<JobDefinition> InScheduleOrder { get; } = [TopicExtraction, InsightGeneration, Decay, Dedup, Cleanup, WeeklyReport];
}
