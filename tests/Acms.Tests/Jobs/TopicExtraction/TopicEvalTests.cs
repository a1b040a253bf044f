using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Acms.Domain.Jobs.TopicExtraction;
using Xunit.Abstractions;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>
/// Quality of the built-in extractor on <c>topic-eval.jsonl</c> (1,159 rows over 11 domains, labelled by a separate
/// author who never saw the extractor; see <c>topic-eval-README.md</c>). The extractor's weights and word lists were
/// tuned on the dev half only; the test half is measured in aggregate and never looked at row by row.
/// <para>
/// Measures, over topical rows (matching rule: <see cref="TopicEvalMatching"/>, which does not read the extractor's vocabulary): <b>primary accuracy</b> = the first topic
/// matches one of the first two gold topics; <b>precision@3</b> = matched topics among the first 3 / topics among the
/// first 3 (0 when none); <b>recall@5</b> = gold topics matched by one of the first 5 / gold topics. <b>Small-talk
/// accuracy</b> = small-talk rows that get no topics / small-talk rows. Document frequencies come from the half being
/// measured, as the job counts them from its own corpus.
/// </para>
/// The floors hold what the test half measured when they were set (kp-10: 0.694 / 0.654 / 0.537 / 0.984; kp-9: 0.688 / 0.651 / 0.535 / 0.984; kp-8: 0.682 / 0.643 / 0.536 / 0.984; kp-7: 0.692 / 0.631 / 0.512 / 0.984; kp-6: 0.655 / 0.621 / 0.518 / 0.984; kp-5: 0.554 / 0.540 / 0.433 / 0.984; kp-4: 0.531 /
/// 0.541 / 0.432 / 0.984; kp-3 under the same rule: 0.519 / 0.520 / 0.451 / 0.984). kp-5's order traded 0.001 of
/// precision@3 for 0.023 of primary accuracy on the test half, so the precision floor moved down with it. kp-8's lexicon
/// growth (2,570 → 4,650 concepts, written without reading either half) traded 0.010 of primary accuracy for 0.012 of
/// precision@3 and 0.028 of recall@5 on the test half, so the primary floor moved down with it; its rule that an unknown
/// phrase far below the best no longer closes the list (level on dev) cost the test half 0.005 of recall@5. kp-9's
/// renaming of concepts named by a word of several senses (events → local-events, pointers → memory-pointers, cargo →
/// rust-cargo; level on dev) left recall@5 a little under 0.535 (it prints 0.535), so its floor is 0.53. kp-10 split the
/// aliases that named a narrower concept into concepts of their own under the broader one (discount under pricing, top-p
/// under sampling parameters; 181 concepts edited, 173 added (4,657 → 4,830), written without reading either half; dev 0.797 /
/// 0.731 / 0.636 before, 0.795 / 0.732 / 0.639 after) and renamed 15 concepts to the full name people tag (regex →
/// regular-expression, argocd → argo-cd, spark → apache-spark; dev 0.798 / 0.736 / 0.642), and the primary and
/// precision floors moved up with it. The targets (0.70 / 0.70 / 0.80 / 0.95) are met for small talk
/// only; recall@5 of 0.80 is above the recall of every candidate the extractor can give (0.669 on the test half with kp-10), so no choice or order of its candidates reaches it: see the README's topic_extraction section, which also says why earlier, higher figures were not comparable.
/// </summary>
public sealed class TopicEvalTests(ITestOutputHelper output)
{
    public const double PrimaryFloor = 0.69;
    public const double PrecisionAt3Floor = 0.65;
    public const double RecallAt5Floor = 0.53;
    public const double SmallTalkFloor = 0.98;

    public sealed record Row(
        string Id, string Domain, string Split, string Question, string? Answer, string[] Gold,
        [property: JsonPropertyName("small_talk")] bool SmallTalk);

    /// <summary>
    /// The half's scores. <paramref name="CandidateRecall"/> is the recall of every topic the extractor can give a row when
    /// no score threshold and no list length cuts its candidates: the most any choice or order of them could reach.
    /// </summary>
    public sealed record Scores(double Primary, double PrecisionAt3, double RecallAt5, double SmallTalk, int TopicalRows, int SmallTalkRows, double CandidateRecall)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"primary {Primary:F3}, precision@3 {PrecisionAt3:F3}, recall@5 {RecallAt5:F3} ({TopicalRows} topical rows), small talk {SmallTalk:F3} ({SmallTalkRows} rows); recall of every candidate {CandidateRecall:F3}");
    }

    // Every candidate the extractor can give: no fraction of the best score cuts one, and an answer's concept named once may
    // be a topic anywhere in the list.
    private static readonly KeyphraseWeights EveryCandidate = KeyphraseWeights.Default with
    {
        MinRelativeScore = 0, TailRelativeScore = 0, AnswerRelativeScore = 0, ConceptRelativeScore = 0, PhraseRelativeScore = 0, AnswerFrom = 0,
    };

    public static IReadOnlyList<Row> Load() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Jobs", "TopicExtraction", "topic-eval.jsonl"))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<Row>(l, JsonSerializerOptions.Web)!)
            .ToList();

    /// <summary>Extracts every row of one half (the half is its own corpus) and scores it.</summary>
    public static Scores Measure(IReadOnlyList<Row> rows)
    {
        var analyzed = rows.Select(r => TopicText.Analyze(r.Question, r.Answer)).ToList();
        var corpus = new CorpusStatistics();
        foreach (var document in analyzed.Where(d => d.QuestionContentWords > 0))
        {
            corpus.AddDocument(document);
        }

        double primary = 0, precision = 0, recall = 0, candidateRecall = 0;
        int topical = 0, smallTalk = 0, smallTalkRight = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var topics = KeyphraseExtractor.Extract(analyzed[i], corpus).Topics;
            var gold = rows[i].Gold;
            if (rows[i].SmallTalk)
            {
                smallTalk++;
                smallTalkRight += topics.Count == 0 ? 1 : 0;
                continue;
            }

            topical++;
            var top3 = topics.Take(3).ToList();
            primary += topics.Count > 0 && gold.Take(2).Any(g => TopicEvalMatching.Matches(topics[0], g)) ? 1 : 0;
            precision += top3.Count == 0 ? 0 : (double)top3.Count(p => gold.Any(g => TopicEvalMatching.Matches(p, g))) / top3.Count;
            recall += (double)gold.Count(g => topics.Take(5).Any(p => TopicEvalMatching.Matches(p, g))) / gold.Length;
            var candidates = KeyphraseExtractor.Extract(analyzed[i], corpus, TopicLexicon.Default, EveryCandidate, maxTopics: 100).Topics;
            candidateRecall += (double)gold.Count(g => candidates.Any(p => TopicEvalMatching.Matches(p, g))) / gold.Length;
        }

        return new Scores(
            primary / topical, precision / topical, recall / topical, (double)smallTalkRight / smallTalk, topical, smallTalk, candidateRecall / topical);
    }

    [Fact]
    public void The_labelled_set_has_1000_rows_over_10_domains_with_small_talk_and_two_halves()
    {
        var rows = Load();

        Assert.True(rows.Count >= 1000, $"{rows.Count} rows");
        Assert.True(rows.Select(r => r.Domain).Distinct().Count() >= 10);
        Assert.True(rows.Count(r => r.SmallTalk) >= 100);
        Assert.All(rows, r => Assert.True(r.Split is "dev" or "test", r.Id));
        Assert.All(rows.Where(r => !r.SmallTalk), r => Assert.NotEmpty(r.Gold));
        Assert.All(rows.Where(r => r.SmallTalk), r => Assert.Empty(r.Gold));
        Assert.InRange(rows.Count(r => r.Split == "test"), rows.Count * 2 / 5, rows.Count * 3 / 5);
    }

    [Fact]
    public void The_built_in_extractor_holds_its_floors_on_the_test_half()
    {
        var rows = Load();
        var dev = Measure([.. rows.Where(r => r.Split == "dev")]);
        var test = Measure([.. rows.Where(r => r.Split == "test")]);

        // Aggregates only: the test half is never printed row by row.
        output.WriteLine($"dev:  {dev}");
        output.WriteLine($"test: {test}");
        Assert.True(test.Primary >= PrimaryFloor, $"primary {test.Primary:F3} fell below {PrimaryFloor}");
        Assert.True(test.PrecisionAt3 >= PrecisionAt3Floor, $"precision@3 {test.PrecisionAt3:F3} fell below {PrecisionAt3Floor}");
        Assert.True(test.RecallAt5 >= RecallAt5Floor, $"recall@5 {test.RecallAt5:F3} fell below {RecallAt5Floor}");
        Assert.True(test.SmallTalk >= SmallTalkFloor, $"small talk {test.SmallTalk:F3} fell below {SmallTalkFloor}");
    }
}
