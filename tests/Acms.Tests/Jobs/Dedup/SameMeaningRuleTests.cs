using Acms.Domain.Jobs.Dedup;

namespace Acms.Tests.Jobs.Dedup;

public sealed class SameMeaningRuleTests
{
    // The reproductions (same user, long texts where one word is a small share of the 3-grams).
    private const string Runbook =
        "Incident runbook for the orders database: when replication lag stays above five minutes, the on-call engineer must page " +
        "the DBA lead within 30 minutes, post a short status note in the incident channel and keep the rollback plan ready.";

    private const string Standup =
        "Standup notes 2026-03-02: Priya finished the invoice export, Tom is still blocked on the SSO certificate, and the team " +
        "agreed to move the customer demo to Thursday after the release candidate is signed off.";

    private const string Patch =
        "Maintenance on Saturday night: patch db-prod-01 first, then the two read replicas, then rotate the certificates on the " +
        "load balancer, and keep the on-call engineer on the bridge until the health checks are green again.";

    [Theory]
    [InlineData(Runbook, "must page", "must not page", MergeReason.Negation)]
    [InlineData(Runbook, "within 30 minutes", "within 90 minutes", MergeReason.Number)]
    [InlineData(Standup, "2026-03-02", "2026-03-03", MergeReason.Number)]
    [InlineData(Patch, "db-prod-01", "db-prod-02", MergeReason.Number)]
    [InlineData(Runbook, "above five minutes", "below five minutes", MergeReason.Opposite)]
    [InlineData(Standup, "Priya finished", "Pooja finished", MergeReason.ProperNoun)]
    [InlineData(Patch, "the two read replicas", "the three read replicas", MergeReason.Number)]
    public void One_meaningful_word_in_a_long_text_keeps_the_memories_apart(string text, string from, string to, MergeReason reason)
    {
        var verdict = SameMeaningRule.Compare(text, text.Replace(from, to, StringComparison.Ordinal));

        Assert.False(verdict.Merge);
        Assert.Equal(reason, verdict.Reason);
    }

    [Theory]
    [InlineData("Review the draft later this week", "Review the draft latex this week")]
    [InlineData("The outage did not affect billing", "The outage did not effect billing")]
    [InlineData("Order a dessert for the party", "Order a desert for the party")]
    [InlineData("Adjust the camera angle", "Adjust the camera angel")]
    [InlineData("Fill in the form today", "Fill in the from today")]
    [InlineData("Cancel the subscription", "Cancels the subscription")]
    [InlineData("The server needs a reboot", "The servers needs a reboot")]
    [InlineData("Keep the marital status field", "Keep the martial status field")]
    [InlineData("Ask Maria about the contract", "Ask Marie about the contract")]
    [InlineData("Send it to Karen on Monday", "Send it to Karan on Monday")]
    [InlineData("The boat is untied", "The boat is united")]
    [InlineData("Deploy the kafka consumer", "Deploy the kafla consumer")]
    [InlineData("Use the tool", "Use the tol")]
    [InlineData("He wants the summary by email", "She wants the summary by email")]
    [InlineData("You must renew the domain", "You may renew the domain")]
    [InlineData("Eggs and milk", "Eggs or milk")]
    [InlineData("Archive all old tickets", "Archive old tickets")]
    [InlineData("Increase the budget by 30%", "Increase the budget by 30")]
    [InlineData("Set userTimeoutMs in the client", "Set userTimeoutSec in the client")]
    [InlineData("Plan A is the fallback", "Plan is the fallback")]
    [InlineData("Enable the nightly export", "Nable the nightly export")]
    [InlineData("Meet at 10 am", "Meet at 10 pm")]
    public void A_different_word_name_or_symbol_is_not_a_typo(string a, string b)
    {
        Assert.False(SameMeaningRule.Compare(a, b).Merge, SameMeaningRule.Compare(a, b).ToString());
        Assert.False(SameMeaningRule.Compare(b, a).Merge);
    }

    [Theory]
    [InlineData("Buy oat milk tomorrow.", "buy oat milk TOMORROW")]
    [InlineData("Buy oat milk tomorrow", "Buy oat milk tomorow")]
    [InlineData("Please call the plumber about the leak", "Call plumber about the leak!")]
    [InlineData("Don't cc the client on internal threads", "Do not cc the client on internal threads.")]
    [InlineData("The DBA lead must **not** be paged", "The DBA lead must not be paged")]
    [InlineData("Notes: - restart the worker\n- check the queue", "Notes: restart the worker, check the queue")]
    [InlineData("I will recieve the parcel on Monday", "I will receive the parcel on Monday")]
    [InlineData("Remember that the backup runs nightly", "Remember the backup runs nightly")]
    [InlineData("The staging database isn't backed up", "The staging database is not backed up")]
    [InlineData("Book the “quiet” room (level 3)", "Book the quiet room, level 3")]
    public void Formatting_fillers_and_unambiguous_typos_say_the_same_thing(string a, string b)
    {
        Assert.True(SameMeaningRule.Compare(a, b).Merge, SameMeaningRule.Compare(a, b).ToString());
        Assert.True(SameMeaningRule.Compare(b, a).Merge);
    }

    [Fact]
    public void Members_are_checked_against_the_survivor_so_a_chain_does_not_merge()
    {
        // B is a typo variant of A; C is B with another duration: the old union-find chained C into A through B.
        var a = Runbook;
        var b = Runbook.Replace("engineer", "enginer", StringComparison.Ordinal);
        var c = b.Replace("30 minutes", "90 minutes", StringComparison.Ordinal);
        var planner = new DuplicatePlanner(new NearDuplicateFinder(0.95, true, 128));
        Member M(double crs) => new() { MemoryId = Guid.NewGuid(), Crs = crs };
        foreach (var scores in new[] { new[] { 0.9, 0.5, 0.1 }, [0.1, 0.9, 0.5], [0.1, 0.5, 0.9] })
        {
            Member[] members = [M(scores[0]), M(scores[1]), M(scores[2])];

            var groups = planner.Plan(Guid.Empty, members, [a, b, c]);

            var group = Assert.Single(groups);
            Assert.Equal(new[] { members[0].MemoryId, members[1].MemoryId }.ToHashSet(), group.Members.Select(m => m.MemoryId).ToHashSet());
        }
    }

    [Fact]
    public void A_typo_that_could_be_two_words_never_brings_both_into_one_group()
    {
        var planner = new DuplicatePlanner(new NearDuplicateFinder(0.95, true, 128));
        Member[] members = [new() { MemoryId = Guid.NewGuid(), Crs = 0.9 }, new() { MemoryId = Guid.NewGuid(), Crs = 0.5 }, new() { MemoryId = Guid.NewGuid(), Crs = 0.1 }];

        string[] texts = [Runbook + " Then log the tral run.", Runbook + " Then log the trail run.", Runbook + " Then log the trial run."];
        Assert.True(SameMeaningRule.Compare(texts[0], texts[1]).Merge);
        Assert.True(SameMeaningRule.Compare(texts[0], texts[2]).Merge);
        Assert.False(SameMeaningRule.Compare(texts[1], texts[2]).Merge);

        var groups = planner.Plan(Guid.Empty, members, texts);

        var group = Assert.Single(groups);
        Assert.Equal(members[0], group.Survivor);
        Assert.Equal([members[1]], group.Duplicates);
    }

    [Fact]
    public void The_word_list_knows_words_names_and_typos()
    {
        Assert.True(EnglishWords.IsCommon("dessert"));
        Assert.True(EnglishWords.IsCommon("cancels"));
        Assert.False(EnglishWords.IsCommon("recieve"));
        Assert.True(EnglishWords.IsName("karen"));
        Assert.Contains("receive", EnglishWords.Corrections("recieve", 5));
        Assert.Equal("tomorrow", EnglishWords.UniqueCorrection("tomorow"));
        Assert.Null(EnglishWords.UniqueCorrection("tral"));
        Assert.True(EnglishWords.OneEditApart("angle", "angel"));
        Assert.False(EnglishWords.OneEditApart("enable", "disable"));
    }
}
