using Acms.Cli.Commands;
using Acms.Domain.Jobs;
using Spectre.Console.Cli;

namespace Acms.Cli;

public static class AcmsCommands
{
    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName("acms");
        // A malformed command line (unknown option, a value of the wrong type) is a usage error: one line, exit 64.
        config.SetExceptionHandler((exception, _) =>
        {
            if (exception is CommandAppException)
            {
                Console.Error.WriteLine($"Invalid usage: {exception.Message.ReplaceLineEndings(" ")}");
                return JobsRunCommand.UsageError;
            }

            // Anything else failed the command itself. A database error is told by its code and a sentence (its own text
            // can name tables and SQL); the service's own errors are written for people and are shown as they are.
            var (code, message) = JobFailure.Describe(exception);
            Console.Error.WriteLine(code == JobFailure.InternalError
                ? $"Failed: {exception.Message.ReplaceLineEndings(" ")}"
                : $"Failed ({code}): {message}.");
            return 1;
        });
        config.AddBranch("db", db =>
        {
            db.SetDescription("Database schema.");
            db.AddCommand<DbMigrateCommand>("migrate").WithDescription("Apply pending migrations (additive; safe to run twice or concurrently).");
        });
        config.AddBranch("jobs", jobs =>
        {
            jobs.SetDescription("Background jobs.");
            jobs.AddCommand<JobsListCommand>("list").WithDescription("Each job's schedule, enabled flag, next and last run.");
            jobs.AddCommand<JobsRunCommand>("run").WithDescription("Run one job now (exit 0 succeeded, 1 failed, 2 skipped).");
            jobs.AddCommand<JobsPauseCommand>("pause").WithDescription("Pause a job's timer and scheduler runs (recorded skipped) until resumed; manual runs still run.");
            jobs.AddCommand<JobsResumeCommand>("resume").WithDescription("Resume a paused job.");
            jobs.AddCommand<JobsRunsCommand>("runs").WithDescription("The run ledger, newest first.");
            jobs.AddCommand<JobsRestoreCommand>("restore").WithDescription("Put a memory that dedup or cleanup removed back from the archive.");
        });
        config.AddBranch("insights", insights =>
        {
            insights.SetDescription("Derived intelligence.");
            insights.AddCommand<InsightsSummaryCommand>("summary").WithDescription("Top topics, insights and recommendations for the organisation or a user.");
        });
        config.AddBranch("reports", reports =>
        {
            reports.SetDescription("Intelligence reports.");
            reports.AddCommand<ReportsGenerateCommand>("generate").WithDescription("Generate (or replace) a report and print it.");
            reports.AddCommand<ReportsListCommand>("list").WithDescription("Stored reports, newest first.");
            reports.AddCommand<ReportsShowCommand>("show").WithDescription("Print a stored report as markdown, html or json.");
        });
        config.AddCommand<SchedulerCommand>("scheduler").WithDescription("Run every enabled job on its CRON until Ctrl+C (safe beside the Functions app).");
        config.AddCommand<DemoCommand>("demo").WithDescription("Seed a realistic dataset in a fresh demo database and run every job in schedule order.");
    }
}
