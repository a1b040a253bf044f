using Acms.Domain.Database;
using Acms.Domain.Insights;
using Acms.Domain.Reports;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Jobs.WeeklyReport;

/// <summary>
/// For the previous ISO week (UTC) of the run: one report per active user who asked something that week, and one org
/// report, stored in <c>intelligence_reports</c> (a re-run replaces them). A user whose report fails is logged and
/// counted in error_count; the others and the org report are still written.
/// </summary>
public sealed class WeeklyReportJob(
    NpgsqlDataSource dataSource,
    ReportService reports,
    IOptionsSnapshot<WeeklyReportOptions> options,
    TimeProvider time,
    ILogger<WeeklyReportJob> logger) : IJob
{
    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var (start, end) = ReportService.PreviousIsoWeek(context.Now);
        context.Details["period_start"] = start;
        context.Details["period_end"] = end;
        var after = Guid.Empty;
        long written = 0, failed = 0, users = 0;
        while (true)
        {
            var batch = await Transient.RetryAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return (await connection.QueryAsync<Guid>(new CommandDefinition(QueryHistorySql.ActiveUsersBatch,
                    new { After = after, From = start, End = end, options.Value.BatchSize }, cancellationToken: ct))).AsList();
            }, time, logger, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            after = batch[^1];
            users += batch.Count;
            if (context.DryRun)
            {
                continue;
            }

            foreach (var user in batch)
            {
                try
                {
                    await Transient.RetryAsync(ct => reports.GenerateForAsync("weekly", "user", user, start, end, "weekly_report_job", ct), time, logger, cancellationToken);
                    written++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed++;
                    context.AddErrors(1);
                    logger.LogError(ex, "Weekly report failed for user {UserId}; the other reports are unaffected", user);
                }
            }
        }

        if (!context.DryRun)
        {
            await Transient.RetryAsync(ct => reports.GenerateForAsync("weekly", "org", null, start, end, "weekly_report_job", ct), time, logger, cancellationToken);
            written++;
        }

        context.AddInput(users);
        context.AddOutput(written);
        context.AddAffected(context.DryRun ? users + 1 : written);
        context.Details["user_reports"] = context.DryRun ? 0 : written - 1;
        context.Details["failed_users"] = failed;
        context.Details["org_report"] = !context.DryRun;
    }
}
