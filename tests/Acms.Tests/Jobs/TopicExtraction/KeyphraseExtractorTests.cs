using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Tests.Jobs.TopicExtraction;

public sealed class KeyphraseExtractorTests
{
    private static TopicResult Extract(string question, string? answer = null)
    {
        var document = TopicText.Analyze(question, answer);
        var corpus = new CorpusStatistics();
        if (document.QuestionContentWords > 0)
        {
            corpus.AddDocument(document);
        }

        return KeyphraseExtractor.Extract(document, corpus);
    }

    [Theory]
    [InlineData("got it, thx", "Glad it helped! Ping me if you have more questions, sounds like a plan.")]
    [InlineData("perfect, that's exactly what I needed", "Great to hear, good luck!")]
    [InlineData("hi there", "Hello! How can I help with Kubernetes today?")]
    [InlineData("Thanks so much, you're a lifesaver!!", "Happy to help. The Terraform state lock should be gone now.")]
    [InlineData("are you still there?", "Yes, I'm here.")]
    [InlineData("ok bye, have a nice weekend", "You too!")]
    [InlineData("Good morning!", null)]
    [InlineData("merci beaucoup", "De rien !")]
    public void Small_talk_gets_no_topics_whatever_the_answer_says(string question, string? answer)
    {
        var result = Extract(question, answer);

        Assert.Equal(TopicResult.TrivialMethod, result.Method);
        Assert.Empty(result.Topics);
    }

    [Fact]
    public void A_compound_keeps_its_head_concept_and_the_relation()
    {
        var result = Extract("How do I fix postgres table bloat?", "Run VACUUM or pg_repack on the bloated table.");

        Assert.Contains("postgresql", result.Topics);
        Assert.Contains("table-bloat", result.Topics);
        Assert.Contains(("table-bloat", "postgresql"), result.Relations);
    }

    [Fact]
    public void Aliases_in_questions_become_canonical_topics()
    {
        Assert.Contains("kubernetes", Extract("My k8s pods keep getting OOMKilled").Topics);
        Assert.Contains("terraform", Extract("terraform plan shows drift on an existing resource").Topics);
        var kafka = Extract("How many partitions should a Kafka topic have?").Topics;
        Assert.Contains("apache-kafka", kafka);
        Assert.DoesNotContain("topic", kafka);
    }

    [Theory]
    [InlineData("whats the crazy super way to figure this out though, it takes 40m rows and minutes every night", "whats,crazy,super,figure,though,minutes,night,40m,row")]
    [InlineData("The service track and gateway track helps performance of the backend incremental loads", "track,helps,incremental")]
    [InlineData("CrashLoopBackOff rigth after deploy, can you analyze?", "rigth,analyze")]
    public void Filler_words_numbers_and_fragments_never_become_topics_or_parts_of_one(string question, string forbidden)
    {
        var topics = Extract(question).Topics;

        foreach (var word in forbidden.Split(','))
        {
            Assert.DoesNotContain(topics, t => t.Split('-').Contains(word));
        }
    }

    [Fact]
    public void Without_the_answer_the_question_still_gets_its_topics()
    {
        var result = Extract("How do I rotate TLS certificates with cert-manager?", answer: null);

        Assert.Contains("tls", result.Topics);
        Assert.Contains("cert-manager", result.Topics);
    }
}
