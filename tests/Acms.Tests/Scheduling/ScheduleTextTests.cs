using Acms.Domain.Scheduling;

namespace Acms.Tests.Scheduling;

public sealed class ScheduleTextTests
{
    [Theory]
    [InlineData("0 0 3 * * *", "daily at 03:00 UTC")]
    [InlineData("0 0 4 * * 0", "Sundays at 04:00 UTC")]
    [InlineData("0 0 6 * * 1", "Mondays at 06:00 UTC")]
    [InlineData("0 30 2 * * 7", "Sundays at 02:30 UTC")]
    [InlineData("0 0 * * * *", "hourly at :00")]
    [InlineData("0 15 * * * *", "hourly at :15")]
    [InlineData("0 */5 * * * *", "every 5 minutes")]
    [InlineData("*/10 * * * * *", "every 10 seconds")]
    [InlineData("0 0 3 1 * *", "cron 0 0 3 1 * * (UTC)")]
    [InlineData("0 0 3 * * 1-5", "cron 0 0 3 * * 1-5 (UTC)")]
    [InlineData("0 0 3 * *", "0 0 3 * *")]
    public void A_schedule_is_described_in_words_or_shown_as_itself(string cron, string expected) =>
        Assert.Equal(expected, ScheduleText.Describe(cron));
}
