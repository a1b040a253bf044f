using Acms.Domain.Insights;
using Acms.Domain.Jobs.Leases;
using Acms.Domain.Reports;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acms.Domain.Jobs.WeeklyReport;

/// <summary>
/// For the previous ISO week (UTC) of the run: one report per active user who asked something that week, and one org
/// report, stored in <c>intelligence_reports</c> (a re-run replaces them). A user whose report fails is logged and
/// counted in error_count; the others and the org report are still written. Each report is prepared on a read
/// connection and then stored as one <see cref="JobBatches.ApplyAsync{T}"/> batch fenced by the run's lease.
/// </summary>
public sealed class WeeklyReportJob(
    JobBatches batches,
    ReportService reports,
    IOptionsSnapshot<WeeklyReportOptions> options,
    ILogger<WeeklyReportJob> logger) : IJob
{
    private const string GeneratedBy = "weekly_report_job";

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var (start, end) = ReportPeriods.PreviousIsoWeek(context.Now);
        context.Details["period_start"] = start;
        context.Details["period_end"] = end;
        var after = Guid.Empty;
        long written = 0, failed = 0, users = 0;
        while (true)
        {
            var batch = await batches.ReadAsync(async (connection, ct) =>
                (await connection.QueryAsync<Guid>(new CommandDefinition(QueryHistorySql.ActiveUsersBatch,
                    new { After = after, From = start, End = end, options.Value.BatchSize }, cancellationToken: ct))).AsList(),
                cancellationToken);
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
                    await WriteAsync(context, "user", user, start, end, cancellationToken);
                    written++;
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or LeaseLostException))
                {
                    // One user's bad data fails that user alone; a lost lease or a cancelled run stops the whole run.
                    failed++;
                    context.AddErrors(1);
                    logger.LogError(ex, "Weekly report failed for user {UserId}; the other reports are unaffected", user);
                }
            }
        }

        if (!context.DryRun)
        {
            await WriteAsync(context, "org", null, start, end, cancellationToken);
            written++;
        }

        context.AddInput(users);
        context.AddOutput(written);
        if (context.DryRun)
        {
            // A dry run commits no batch, so it reports what a real run would have written itself.
            context.AddAffected(users + 1);
        }

        context.Details["user_reports"] = context.DryRun ? 0 : written - 1;
        context.Details["failed_users"] = failed;
        context.Details["org_report"] = !context.DryRun;
    }

    /// <summary>Prepares one report (reads only), then stores it as one batch: the batch's transaction holds only the write.</summary>
    private async Task WriteAsync(JobContext context, string scope, Guid? user, DateTime start, DateTime end, CancellationToken cancellationToken)
    {
        var draft = await batches.ReadAsync(
            (connection, ct) => reports.PrepareAsync(connection, "weekly", scope, user, start, end, GeneratedBy, ct), cancellationToken);
        await batches.ApplyAsync(context, (connection, tx, ct) => ReportService.StoreAsync(connection, tx, draft, ct), _ => 1, cancellationToken);
    }
}
