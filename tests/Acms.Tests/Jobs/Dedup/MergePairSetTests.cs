using Acms.Domain.Jobs;
using Acms.Domain.Jobs.Dedup;
using Acms.Tests.Archive;
using Acms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Acms.Tests.Jobs.Dedup;

/// <summary>
/// The labelled pair set (<c>merge-pairs.jsonl</c>): must-not-merge pairs of every kind (negation, opposite, number,
/// date, time, version, amount, unit, identifier, IP, e-mail, URL, path, name, real-word one-letter differences) and
/// should-merge pairs (case, punctuation, whitespace, filler words, typos, formatting), long and short. The rule was
/// looked at against the dev half only; the figures that count are the test half's, and the whole set's.
/// </summary>
public sealed class MergePairSetTests(ITestOutputHelper output) : DatabaseTest
{
    private const double RequiredMergeRate = 0.95;

    [Fact]
    public void The_set_has_enough_pairs_of_every_kind()
    {
        var pairs = MergePair.Load();
        Assert.True(pairs.Count(p => !p.ShouldMerge) >= 150);
        Assert.True(pairs.Count(p => p.ShouldMerge) >= 150);
        Assert.True(pairs.Count(p => !p.ShouldMerge && p.Length == "long" && p.A.Length >= 200) >= 50);
        string[] kinds = ["negation", "opposite", "number", "date", "time", "version", "amount", "unit", "identifier", "ip", "email", "url", "path", "person", "proper-noun", "real-word"];
        Assert.All(kinds, kind => Assert.Contains(pairs, p => !p.ShouldMerge && p.Kind == kind));
        Assert.All(["case", "punctuation", "whitespace", "stopword", "typo", "formatting"], kind => Assert.Contains(pairs, p => p.ShouldMerge && p.Kind == kind));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void The_planner_merges_no_must_not_pair_and_at_least_95_percent_of_should_merge_pairs()
    {
        var planner = new DuplicatePlanner(new NearDuplicateFinder(0.95, true, 128));
        var merged = MergePair.Load().ToDictionary(p => p, p => planner.Plan(Guid.Empty,
            [new Member { MemoryId = Guid.NewGuid(), Crs = 0.9 }, new Member { MemoryId = Guid.NewGuid(), Crs = 0.1 }], [p.A, p.B]).Count == 1);

        AssertFigures("planner", merged);
    }

    [Fact]
    public async Task The_dedup_job_on_postgres_merges_no_must_not_pair_and_at_least_95_percent_of_should_merge_pairs()
    {
        // Each pair is one user's two memories (so pairs cannot meet), run through the real job once.
        var pairs = MergePair.Load();
        var seeded = new List<(MergePair Pair, Guid Kept, Guid Other)>();
        foreach (var pair in pairs)
        {
            var user = await Seed.UserAsync(Db.DataSource);
            seeded.Add((pair, await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-3), score: 0.9, content: pair.A),
                              await Seed.MemoryAsync(Db.DataSource, user, TestHost.Epoch.AddDays(-3), score: 0.1, content: pair.B)));
        }

        await using var services = TestHost.Build(Db, new FakeTimeProvider(TestHost.Epoch));
        var result = await services.GetRequiredService<JobRunner>().RunAsync("dedup", JobTrigger.Cli, false, CancellationToken.None);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        var live = await ArchiveSeed.IdsAsync(Db.DataSource, "SELECT memory_id FROM memory_items");
        Assert.All(seeded, s => Assert.Contains(s.Kept, live));
        AssertFigures("job", seeded.ToDictionary(s => s.Pair, s => !live.Contains(s.Other)));
    }

    private void AssertFigures(string how, Dictionary<MergePair, bool> merged)
    {
        foreach (var (pair, did) in merged.Where(m => m.Value != m.Key.ShouldMerge))
        {
            output.WriteLine($"{how}: {(did ? "FALSE MERGE" : "missed merge")} {pair.Id} ({pair.Split}, {pair.Kind}): {SameMeaningRule.Compare(pair.A, pair.B)}");
        }

        foreach (var (name, subset) in new[] { ("test half", merged.Where(m => m.Key.Split == "test").ToList()), ("whole set", merged.ToList()) })
        {
            var falseMerges = subset.Count(m => !m.Key.ShouldMerge && m.Value);
            var mustNot = subset.Count(m => !m.Key.ShouldMerge);
            var should = subset.Count(m => m.Key.ShouldMerge);
            var rate = (double)subset.Count(m => m.Key.ShouldMerge && m.Value) / should;
            output.WriteLine($"{how}, {name}: {falseMerges} false merges of {mustNot} must-not-merge pairs; {rate:P1} of {should} should-merge pairs merged");
            Assert.Equal(0, falseMerges);
            Assert.True(rate >= RequiredMergeRate, $"{name}: {rate:P1} of should-merge pairs merged");
        }
    }
}
