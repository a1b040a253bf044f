using System.Globalization;
using System.Text.Json;
using Acms.Domain.Jobs.TopicExtraction;
using Xunit.Abstractions;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>
/// Quality of the built-in extractor on a labelled set of realistic Q&amp;A (evaluation-set.jsonl, written for this project).
/// Matching: <see cref="TopicMatching"/>. precision@3 = matched predictions among the first 3 / predictions among the first 3 (0 when
/// none); recall@3 = gold tags matched by one of the first 3 / gold tags; both averaged over rows with gold topics.
/// Rows with no gold topics are greetings: they must come out trivial.
/// <para>
/// Its labels were written in the names of the lexicon of that time, which folded a specific term into its broad concept
/// (an HPA question is labelled <c>autoscaling</c>), and its rule canonicalizes through the shipped lexicon, so it checks
/// consistency with the vocabulary rather than quality: <see cref="TopicEvalTests"/> (independent labels and rule) is the
/// measure. The recall floor was 0.70 (measured 0.723) until kp-6 gave specific terms their own concepts under their
/// broad one (horizontal-pod-autoscaler → autoscaling); kp-6, with full names for abbreviated concepts
/// (large-language-model, not llm), measures precision@3 0.840 and recall@3 0.658 here; kp-7 0.837 and 0.654; kp-8 0.825 and 0.661; kp-9 0.828 and 0.652.
/// </para>
/// </summary>
public sealed class EvaluationSetTests(ITestOutputHelper output)
{
    public const double PrecisionFloor = 0.68;
    public const double RecallFloor = 0.65;

    public sealed record Labelled(string Question, string Answer, string[] Topics);

    public static IReadOnlyList<Labelled> Load() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Jobs", "TopicExtraction", "evaluation-set.jsonl"))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<Labelled>(l, JsonSerializerOptions.Web)!)
            .ToList();

    public static bool Matches(string predicted, string gold) => TopicMatching.Matches(predicted, gold);

    public static (double Precision, double Recall, double TrivialAccuracy, int Rows) Evaluate(IReadOnlyList<Labelled> set, IReadOnlyList<TopicResult> results)
    {
        double precision = 0, recall = 0;
        int rows = 0, trivialRows = 0, trivialRight = 0;
        for (var i = 0; i < set.Count; i++)
        {
            var gold = set[i].Topics;
            var top = results[i].Topics.Take(3).ToList();
            if (gold.Length == 0)
            {
                trivialRows++;
                trivialRight += top.Count == 0 ? 1 : 0;
                continue;
            }

            rows++;
            precision += top.Count == 0 ? 0 : (double)top.Count(p => gold.Any(g => Matches(p, g))) / top.Count;
            recall += (double)gold.Count(g => top.Any(p => Matches(p, g))) / gold.Length;
        }

        return (precision / rows, recall / rows, trivialRows == 0 ? 1 : (double)trivialRight / trivialRows, rows);
    }

    [Fact]
    public void The_evaluation_set_has_at_least_200_labelled_rows()
    {
        var set = Load();
        Assert.True(set.Count(r => r.Topics.Length > 0) >= 200, $"only {set.Count(r => r.Topics.Length > 0)} labelled rows");
        Assert.All(set.SelectMany(r => r.Topics), t => Assert.Equal(TopicText.NormalizeTag(t), t));
    }

    [Fact]
    public void The_built_in_extractor_holds_its_precision_and_recall_at_3_on_the_evaluation_set()
    {
        var set = Load();
        var analyzed = set.Select(r => TopicText.Analyze(r.Question, r.Answer)).ToList();
        var corpus = new CorpusStatistics();
        foreach (var document in analyzed.Where(d => d.QuestionContentWords > 0))
        {
            corpus.AddDocument(document);
        }

        var results = analyzed.Select(d => KeyphraseExtractor.Extract(d, corpus)).ToList();
        var (precision, recall, trivial, rows) = Evaluate(set, results);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows {rows}: precision@3 {precision:F3}, recall@3 {recall:F3}, trivial rows recognised {trivial:P0}"));
        for (var i = 0; i < set.Count; i++)
        {
            output.WriteLine($"{string.Join(',', set[i].Topics)} => {string.Join(',', results[i].Topics)}");
        }

        Assert.Equal(1.0, trivial);
        Assert.True(precision >= PrecisionFloor, $"precision@3 {precision:F3} fell below {PrecisionFloor}");
        Assert.True(recall >= RecallFloor, $"recall@3 {recall:F3} fell below {RecallFloor}");
    }

    [Fact]
    public void Matching_is_by_canonical_topic_or_canonical_word_subset()
    {
        Assert.True(Matches("Kubernetes Ingress", "kubernetes-ingress"));
        Assert.True(Matches("kubernetes-ingress", "kubernetes"));
        Assert.True(Matches("postgres", "postgres-vacuum"));
        Assert.True(Matches("postgres-indexes", "postgres-index"));
        Assert.True(Matches("postgresql", "postgres"));
        Assert.True(Matches("k8s", "kubernetes"));
        Assert.False(Matches("redis", "postgres"));
        Assert.False(Matches("kubernetes-ingress", "load-balancer"));
        Assert.True(Matches("kubernetes-ingress", "ingress-controller"));
    }
}
