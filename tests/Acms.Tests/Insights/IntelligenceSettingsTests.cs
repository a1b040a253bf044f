using Acms.Domain.Insights;
using Acms.Domain.Privacy;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acms.Tests.Insights;

/// <summary>The services read the jobs' rule settings through one type of their own; the keys stay where the README lists them.</summary>
public sealed class IntelligenceSettingsTests : DatabaseTest
{
    [Fact]
    public async Task The_settings_come_from_the_jobs_keys_and_are_validated_at_start()
    {
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?>
        {
            ["Jobs:TopicExtraction:ExtractorVersion"] = "kp-test",
            ["Jobs:InsightGeneration:RecurringMinRepeats"] = "4",
            ["Jobs:WeeklyReport:KnowledgeBaseMinQuestions"] = "9",
            ["Jobs:WeeklyReport:CostThresholdUsd"] = "0.2",
            ["Jobs:Cleanup:ArchiveRetentionDays"] = "0",
        });

        var settings = services.GetRequiredService<IOptionsMonitor<IntelligenceSettings>>().CurrentValue;

        Assert.Equal(("kp-test", 4, 9, 0.2, 0), (settings.ExtractorVersion, settings.Thresholds.RecurringMinRepeats, settings.KnowledgeBaseMinQuestions, settings.ReportCostThresholdUsd, settings.ArchiveRetentionDays));
    }

    [Fact]
    public async Task A_short_insight_key_secret_is_rejected_without_echoing_it()
    {
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?> { ["Privacy:InsightKeySecret"] = "hunter2" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PrivacyOptions>>().Value);

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
