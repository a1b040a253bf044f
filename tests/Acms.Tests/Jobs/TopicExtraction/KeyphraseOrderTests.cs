using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Tests.Jobs.TopicExtraction;

public sealed class KeyphraseOrderTests
{
    private static KeyphraseCandidate Candidate(string key, bool concept, double score, double tf, double questionTf, bool implied = false, int position = int.MaxValue) =>
        new([key], concept) { Score = score, Tf = tf, QuestionTf = questionTf, InQuestion = questionTf > 0, Implied = implied, FirstPosition = position };

    private static List<string> Lead(params KeyphraseCandidate[] chosen)
    {
        var list = chosen.ToList();
        KeyphraseOrder.Lead(list, TopicLexicon.Default, KeyphraseWeights.Default);
        return list.Select(c => c.Keys[0]).ToList();
    }

    [Fact]
    public void A_word_the_answer_repeats_no_longer_leads_what_the_question_names_once()
    {
        // "replication lag on our read replica spikes during the nightly ETL": the answer says "ETL" three times.
        var order = Lead(
            Candidate("etl", concept: true, score: 80.0, tf: 6, questionTf: 3),
            Candidate("replication-lag", concept: true, score: 41.7, tf: 3, questionTf: 3),
            Candidate("read-replica", concept: true, score: 36.6, tf: 3, questionTf: 3));

        Assert.Equal(["replication-lag", "etl", "read-replica"], order);
    }

    [Fact]
    public void A_product_the_question_names_leads_a_process_of_a_close_score()
    {
        var order = Lead(
            Candidate("deployment", concept: true, score: 39.7, tf: 3, questionTf: 3),
            Candidate("docker", concept: true, score: 30.0, tf: 3, questionTf: 3));

        Assert.Equal(["docker", "deployment"], order);
    }

    [Fact]
    public void What_only_the_answer_names_closes_the_list_and_ties_keep_the_chosen_order()
    {
        var order = Lead(
            Candidate("caching", concept: true, score: 50, tf: 3, questionTf: 0),
            Candidate("build-cache", concept: false, score: 20, tf: 3, questionTf: 3),
            Candidate("layer-cache", concept: false, score: 20, tf: 3, questionTf: 3));

        Assert.Equal(["build-cache", "layer-cache", "caching"], order);
    }

    [Theory]
    // "bulk insert of 10M rows from a python script": 20 × 1.5 = 30 against 24 × (1 + 0.5 / 5) = 26.4.
    [InlineData(24, "bulk-insert")]
    // A much stronger topic named later still leads: 31 × 1.1 = 34.1 against 30.
    [InlineData(31, "python-script")]
    public void What_the_question_names_first_leads_a_topic_of_a_close_score_named_later(double laterScore, string leader)
    {
        var order = Lead(
            Candidate("python-script", concept: false, score: laterScore, tf: 3, questionTf: 3, position: 4),
            Candidate("bulk-insert", concept: false, score: 20, tf: 3, questionTf: 3, position: 0));

        Assert.Equal(leader, order[0]);
    }

    [Fact]
    public void The_set_is_kept_and_a_single_topic_is_left_alone()
    {
        Assert.Equal(["kubernetes"], Lead(Candidate("kubernetes", concept: true, score: 10, tf: 3, questionTf: 3)));
        Assert.Empty(Lead());
    }
}
