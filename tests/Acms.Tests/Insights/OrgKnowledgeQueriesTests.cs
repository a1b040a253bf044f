using Acms.Domain.Common;
using Acms.Domain.Insights;
using Acms.Tests.Infrastructure;
using Dapper;

namespace Acms.Tests.Insights;

public sealed class OrgKnowledgeQueriesTests : DatabaseTest
{
    private async Task InsertAsync(string topic, long queries, DateTime periodEnd, string? sample = null)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO org_knowledge (topic, user_count, query_count, first_seen, last_seen, period_start, period_end, sample_question)
            VALUES (@Topic, 3, @Queries, @Start, @End, @Start, @End, @Sample)
            """, new { Topic = topic, Queries = queries, Start = periodEnd.AddDays(-7), End = periodEnd, Sample = sample });
    }

    [Fact]
    public async Task Lists_the_newest_period_first_then_the_most_asked()
    {
        var week = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
        await InsertAsync("old-topic", 500, week.AddDays(-7));
        await InsertAsync("kubernetes", 10, week, "How do I roll back a deployment?");
        await InsertAsync("postgres", 40, week);

        var list = await new OrgKnowledgeQueries(Db.DataSource).ListAsync(2, CancellationToken.None);

        Assert.Equal(["postgres", "kubernetes"], list.Topics.Select(t => t.Topic));
        Assert.Equal(2, list.Count);
        Assert.Equal(3, list.Topics[0].UserCount);
        Assert.Null(list.Topics[0].SampleQuestion);
        Assert.Equal("How do I roll back a deployment?", list.Topics[1].SampleQuestion);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(OrgKnowledgeQueries.MaxLimit + 1)]
    public async Task A_limit_out_of_range_is_rejected(int limit)
    {
        var error = await Assert.ThrowsAsync<AcmsValidationException>(() => new OrgKnowledgeQueries(Db.DataSource).ListAsync(limit, CancellationToken.None));

        Assert.Equal("limit", error.Field);
    }
}
