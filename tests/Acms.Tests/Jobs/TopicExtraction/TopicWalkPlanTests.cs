using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Tests.Jobs.TopicExtraction;

public sealed class TopicWalkPlanTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromDays(1);
    private static readonly TimeSpan Sweep = TimeSpan.FromDays(1);

    private static TopicSourceRow Row(DateTime? createdAt) => new(Guid.NewGuid(), Guid.NewGuid(), "q", "a", createdAt, false, null, "INTERNAL", false);

    [Fact]
    public void Without_a_watermark_the_run_sweeps_the_whole_table()
    {
        var plan = TopicWalkPlan.Create(null, Now, Window, Sweep);

        Assert.True(plan.FullSweep);
        Assert.Equal(TopicWalkPlan.Beginning, plan.DatedStart);
        Assert.Equal("beginning", plan.WalkFrom);
        Assert.Equal([(false, TopicWalkPlan.Beginning), (true, TopicWalkPlan.Beginning)], plan.Walks);
    }

    [Fact]
    public void A_recent_sweep_walks_from_the_watermark_minus_the_late_arrival_window()
    {
        var mark = new TopicExtractionWatermark(Now.AddHours(-2), Guid.NewGuid(), Now.AddHours(-3));
        var plan = TopicWalkPlan.Create(mark, Now, Window, Sweep);

        Assert.False(plan.FullSweep);
        Assert.Equal(Now.AddHours(-2) - Window, plan.DatedStart);
        Assert.Equal((true, Now.AddHours(-2) - Window), plan.Walks.Last());
    }

    [Fact]
    public void An_old_sweep_or_a_zero_interval_sweeps_again()
    {
        var mark = new TopicExtractionWatermark(Now.AddHours(-2), Guid.NewGuid(), Now.AddDays(-2));

        Assert.True(TopicWalkPlan.Create(mark, Now, Window, Sweep).FullSweep);
        Assert.True(TopicWalkPlan.Create(mark with { LastFullSweepAt = Now }, Now, Window, TimeSpan.Zero).FullSweep);
    }

    [Fact]
    public void A_window_reaching_before_the_first_date_starts_at_the_beginning()
    {
        var mark = new TopicExtractionWatermark(DateTime.MinValue.AddHours(1), Guid.NewGuid(), Now);

        Assert.Equal(TopicWalkPlan.Beginning, TopicWalkPlan.Create(mark, Now, Window, Sweep).DatedStart);
    }

    [Fact]
    public void Only_a_dated_walk_moves_the_watermark_and_never_past_the_run_start()
    {
        var plan = TopicWalkPlan.Create(null, Now, Window, Sweep);
        var past = Row(Now.AddHours(-1));
        var future = Row(Now.AddDays(3));

        Assert.Null(plan.AdvanceTo(dated: false, past));
        Assert.Null(plan.AdvanceTo(dated: true, Row(null)));
        Assert.Equal((Now.AddHours(-1), past.QueryId), plan.AdvanceTo(dated: true, past));
        Assert.Equal((Now, Guid.Empty), plan.AdvanceTo(dated: true, future));
    }

    [Fact]
    public void The_next_batch_starts_after_the_last_candidate()
    {
        var dated = Row(Now.AddHours(-1));
        var undated = Row(null);

        Assert.Equal((Now.AddHours(-1), dated.QueryId), TopicWalkPlan.Next(dated));
        Assert.Equal((TopicWalkPlan.Beginning, undated.QueryId), TopicWalkPlan.Next(undated));
    }
}
