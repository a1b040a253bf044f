using Acms.Domain.Jobs;

namespace Acms.Tests.Jobs;

/// <summary>Schedules are read with the Functions host's rules (NCRONTAB, six fields), so what the timer would refuse is refused at start.</summary>
public sealed class JobScheduleTests
{
    [Theory]
    [InlineData("0 0 3 * * *")]
    [InlineData("0 0 4 * * 0")]
    [InlineData("0 0 * * * *")]
    [InlineData("0 */5 * * * *")]
    [InlineData("0 30 9-17 * * 1-5")]
    [InlineData("0 0 6 * * Mon")]
    [InlineData("0 0 6 1,15 Jan-Jun *")]
    [InlineData("30 15 2 29 2 *")]
    public void Accepts_what_the_host_accepts(string expression) => Assert.Null(JobSchedule.Validate(expression));

    [Theory]
    [InlineData("0 3 * * *", "5 field(s)")] // five fields: the host would read it without seconds, a different schedule
    [InlineData("0 0 3 * * * 2027", "7 field(s)")]
    [InlineData("0 0 3 L * *", "'L'")] // Quartz forms that Cronos accepts and the host rejects
    [InlineData("0 0 3 15W * *", "'15W'")]
    [InlineData("0 0 3 ? * MON", "'?'")]
    [InlineData("0 0 3 * * 1#2", "'1#2'")]
    [InlineData("0 0 3 * * 5L", "'5L'")]
    [InlineData("0 60 3 * * *", "NCRONTAB")]
    [InlineData("0 0 24 * * *", "NCRONTAB")]
    [InlineData("0 0 3 0 * *", "NCRONTAB")]
    [InlineData("0 0 3 * 13 *", "NCRONTAB")]
    [InlineData("0 0 0 31 2 *", "never fires")]
    [InlineData("every day at 3", "field(s)")]
    [InlineData("", "empty")]
    public void Rejects_what_the_host_rejects_with_a_clear_reason(string expression, string reason)
    {
        var error = JobSchedule.Validate(expression);

        Assert.NotNull(error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Next_occurrences_follow_the_host_in_utc()
    {
        var now = new DateTime(2026, 11, 2, 3, 0, 0, DateTimeKind.Utc); // a Monday, on the dot

        Assert.Equal(new DateTime(2026, 11, 3, 3, 0, 0, DateTimeKind.Utc), JobSchedule.NextAfter("0 0 3 * * *", now));
        Assert.Equal(new DateTime(2026, 11, 8, 4, 0, 0, DateTimeKind.Utc), JobSchedule.NextAfter("0 0 4 * * 0", now));
        Assert.Equal(DateTimeKind.Utc, JobSchedule.NextAfter("0 0 * * * *", now)!.Value.Kind);
        Assert.Equal(
            [new DateTime(2026, 11, 2, 4, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 2, 5, 0, 0, DateTimeKind.Utc)],
            JobSchedule.Between("0 0 * * * *", now, now.AddHours(2)));
        Assert.Null(JobSchedule.NextAfter("0 0 3 L * *", now));
    }
}
