namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The built-in extractor: offline and deterministic. Candidates are the lexicon concepts of the Q&amp;A and the 1–3
/// word phrases inside runs of topic words (<see cref="TopicText"/>: filler, stop words and punctuation end a run). A
/// candidate scores <c>tf × mean idf × length factor</c>, times a boost for a concept (<see cref="KeyphraseWeights"/>), where
/// tf weighs a question occurrence several times an answer occurrence and idf is
/// <c>ln(1 + (N + 1) / (df + 1))</c> over the corpus document frequencies of its keys. A lone generic noun is never a
/// candidate; a phrase or word only in the answer must occur there twice. The best candidates are taken greedily,
/// skipping a phrase that shares words with one already taken, up to <c>maxTopics</c> and down to
/// a fraction of the best (a lower one for a concept the question names, a higher one for a phrase; a broad parent and
/// what falls short only close the list). A place weighs less unless a travel or other personal concept is beside it.
/// The chosen topics are then put in order by what the question itself says (<see cref="KeyphraseOrder"/>).
/// Topics are canonical: a concept's name, or the phrase's canonical keys hyphenated. A phrase next to a technology or product concept is related to it ("postgres table bloat" →
/// <c>table-bloat</c> and <c>postgresql</c>, related). Small talk and questions with no topic words are trivial.
/// </summary>
public static class KeyphraseExtractor
{
    /// <summary>Stored in <c>topic_extractions.extractor_version</c>; change it when the extraction changes materially.</summary>
    public const string Version = "kp-10";

    private static readonly double[] LengthFactor = [0, 1.0, 1.7, 1.9];


    public static TopicResult Extract(AnalyzedQa document, ITermStatistics statistics, int maxTopics = 5) =>
        Extract(document, statistics, TopicLexicon.Default, KeyphraseWeights.Default, maxTopics);

    public static TopicResult Extract(AnalyzedQa document, ITermStatistics statistics, TopicLexicon lexicon, KeyphraseWeights w, int maxTopics = 5)
    {
        if (document.SmallTalk || document.QuestionContentWords == 0)
        {
            return TopicResult.Trivial;
        }

        var candidates = KeyphraseCandidates.Gather(document.Tokens, lexicon, w);

        var n = statistics.DocumentCount;
        var ranked = new List<KeyphraseCandidate>(candidates.Count);
        List<KeyphraseCandidate>? answerOnly = null;
        foreach (var candidate in candidates.Values)
        {
            var length = candidate.Keys.Length;
            var list = ranked;
            if (!candidate.InQuestion && (candidate.Count < 2 || (!candidate.Concept && !w.AnswerPhrases)))
            {
                // What only the answer names once may still close the list, after the question's own topics.
                if (!candidate.Concept || w.AnswerFrom >= maxTopics)
                {
                    continue;
                }

                list = answerOnly ??= [];
            }

            double idf = 0;
            foreach (var key in candidate.Keys)
            {
                idf += Math.Log(1 + ((n + 1.0) / (statistics.DocumentFrequency(key) + 1.0)));
            }

            var weight = candidate.Concept
                ? w.ConceptBoost * (lexicon.ByName(candidate.Keys[0]) is { Kind: "technology" or "product" } ? w.ProductBoost : 1.0)
                : LengthFactor[length] * (length == 1 && WordShape.IsGerund(candidate.Keys[0]) ? w.GerundWeight : 1.0)
                    * (length > 1 && candidate.Unknown ? w.UnknownPhraseWeight : 1.0);
            candidate.Score = candidate.Tf * (idf / length) * weight;
            list.Add(candidate);
        }

        if (ranked.Count == 0)
        {
            return TopicResult.Trivial;
        }

        WeighPlaces(ranked, lexicon, w);
        AddParents(ranked, lexicon, w);

        ranked.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.FirstPosition.CompareTo(b.FirstPosition);
        });

        var best = ranked[0].Score;
        var chosen = new List<KeyphraseCandidate>(maxTopics);
        List<KeyphraseCandidate>? deferred = null;
        foreach (var candidate in ranked)
        {
            if (chosen.Count >= maxTopics)
            {
                break;
            }

            // The first topics must be close to the best; the last places of the list may be filled more freely, but not
            // with a phrase the lexicon does not know: few of those that far below the best name a subject ("hasnt",
            // "person-company"), and every topic written is counted in the organisation's trends.
            var head = chosen.Count < w.HeadTopics;
            var floor = !candidate.Concept ? w.PhraseRelativeScore
                : !head ? w.TailRelativeScore
                : candidate.TailOnly ? double.MaxValue
                : candidate.InQuestion && !candidate.Implied ? w.ConceptRelativeScore : w.MinRelativeScore;
            if (candidate.Score < best * floor)
            {
                // What is kept out of the first topics may still close the list.
                if (head && candidate.Concept && candidate.Score >= best * w.TailRelativeScore)
                {
                    (deferred ??= []).Add(candidate);
                }

                continue;
            }

            if (chosen.Exists(c => Overlaps(c, candidate)))
            {
                continue;
            }

            chosen.Add(candidate);
        }

        if (deferred is not null && chosen.Count >= w.HeadTopics)
        {
            foreach (var candidate in deferred)
            {
                if (chosen.Count < maxTopics && !chosen.Exists(c => Overlaps(c, candidate)))
                {
                    chosen.Add(candidate);
                }
            }
        }

        if (answerOnly is not null && chosen.Count >= w.AnswerFrom)
        {
            answerOnly.Sort(static (a, b) => b.Score.CompareTo(a.Score));
            foreach (var candidate in answerOnly)
            {
                if (chosen.Count >= maxTopics || candidate.Score < best * w.AnswerRelativeScore)
                {
                    break;
                }

                if (!chosen.Exists(c => Overlaps(c, candidate) || (c.Concept && lexicon.ByName(c.Keys[0])?.Parent == candidate.Keys[0])))
                {
                    chosen.Add(candidate);
                }
            }
        }

        KeyphraseOrder.Lead(chosen, lexicon, w);
        var topics = new List<string>(chosen.Count);
        var relations = new List<(string, string)>();
        foreach (var candidate in chosen)
        {
            var tag = candidate.Concept ? candidate.Keys[0] : string.Join('-', candidate.Keys);
            if (tag.Length == 0 || topics.Contains(tag))
            {
                continue;
            }

            topics.Add(tag);
            if (candidate.Head is { } head && head != tag)
            {
                relations.Add((tag, head));
            }
        }

        var total = chosen.Sum(c => c.Score);
        var confidence = Math.Round(Math.Clamp(0.4 + (0.6 * (best / (total + 1e-9))) * Math.Min(1.0, best / 10.0), 0.05, 0.99), 3);
        return topics.Count == 0
            ? TopicResult.Trivial
            : new TopicResult(topics, topics[0], confidence, TopicResult.Keyword) { Relations = relations };
    }

    /// <summary>
    /// The parent of each concept (<c>pod</c> → <c>kubernetes</c>), implied when the Q&amp;A does not name it, ranked at
    /// <see cref="KeyphraseWeights.ImpliedWeight"/> of its best child; the child is related to its parent.
    /// </summary>
    private static void AddParents(List<KeyphraseCandidate> ranked, TopicLexicon lexicon, KeyphraseWeights w)
    {
        Dictionary<string, KeyphraseCandidate>? implied = null;
        foreach (var candidate in ranked)
        {
            if (!candidate.Concept || lexicon.ByName(candidate.Keys[0])?.Parent is not { } parent)
            {
                continue;
            }

            candidate.Head = parent;
            if (ranked.Exists(c => c.Concept && c.Keys[0] == parent))
            {
                continue;
            }

            implied ??= new Dictionary<string, KeyphraseCandidate>(StringComparer.Ordinal);
            if (!implied.TryGetValue(parent, out var p))
            {
                // A product family (pod → kubernetes) is what the question is about; a broad field or process above a concept
                // (clustering → machine-learning) is less often how a person would tag it: it may only close the list.
                var family = lexicon.ByName(parent) is { Kind: "technology" or "product" };
                implied[parent] = p = new KeyphraseCandidate([parent], concept: true)
                {
                    FirstPosition = candidate.FirstPosition, InQuestion = candidate.InQuestion, Implied = true, TailOnly = !family,
                };
            }

            p.Score = Math.Max(p.Score, candidate.Score * w.ImpliedWeight);
        }

        if (implied is not null)
        {
            ranked.AddRange(implied.Values);
        }
    }


    /// <summary>
    /// A place is a topic of a trip or of life somewhere (a travel, visa, hotel or other personal concept beside it), not of
    /// a question that only happens to name one ("how many hours can I work in Germany"): there it weighs
    /// <see cref="KeyphraseWeights.PlaceWeight"/>.
    /// </summary>
    private static void WeighPlaces(List<KeyphraseCandidate> ranked, TopicLexicon lexicon, KeyphraseWeights w)
    {
        if (!ranked.Exists(c => IsKind(c, "place", lexicon)) || ranked.Exists(c => IsKind(c, "personal", lexicon)))
        {
            return;
        }

        foreach (var candidate in ranked)
        {
            if (IsKind(candidate, "place", lexicon))
            {
                candidate.Score *= w.PlaceWeight;
            }
        }
    }

    private static bool IsKind(KeyphraseCandidate candidate, string kind, TopicLexicon lexicon) =>
        candidate.Concept && lexicon.ByName(candidate.Keys[0])?.Kind == kind;

    /// <summary>Redundant: the same concept, or phrases of which one's words are a subset of the other's or that share two words.</summary>
    private static bool Overlaps(KeyphraseCandidate a, KeyphraseCandidate b)
    {
        if (a.Concept || b.Concept)
        {
            return a.Concept && b.Concept && a.Keys[0] == b.Keys[0];
        }

        var (small, large) = a.Keys.Length <= b.Keys.Length ? (a.Keys, b.Keys) : (b.Keys, a.Keys);
        var shared = 0;
        foreach (var key in small)
        {
            if (Array.IndexOf(large, key) >= 0)
            {
                shared++;
            }
        }

        return shared == small.Length || shared >= 2;
    }
}