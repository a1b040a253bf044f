using Acms.Domain.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Acms.Functions.Jobs.WeeklyReport;

public sealed class WeeklyReportFunctions(JobTriggers triggers)
{
    private static readonly string Job = JobDefinitions.WeeklyReport.Name;

    [Function(nameof(WeeklyReportTimer))]
    public Task WeeklyReportTimer([TimerTrigger("%WeeklyReportSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        triggers.OnTimerAsync(Job, timer, cancellationToken);

    [Function(nameof(WeeklyReportRun))]
    public Task<IActionResult> WeeklyReportRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v2/jobs/weekly_report/run")] HttpRequest request, CancellationToken cancellationToken) =>
        triggers.OnHttpRunAsync(Job, request, cancellationToken);
}
