namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>The topics of one Q&amp;A row.</summary>
/// <param name="Method"><c>keyword</c>, <c>llm</c> or <c>trivial</c> (no topics; the row is not scanned again).</param>
public sealed record TopicResult(IReadOnlyList<string> Topics, string? PrimaryTopic, double Confidence, string Method)
{
    public const string Keyword = "keyword";
    public const string Llm = "llm";
    public const string TrivialMethod = "trivial";

    public static TopicResult Trivial { get; } = new([], null, 1.0, TrivialMethod);
}

/// <summary>Corpus figures the scorer needs: how many documents there are and how many contain a stem.</summary>
public interface ITermStatistics
{
    long DocumentCount { get; }

    long DocumentFrequency(string stem);

    /// <summary>The most frequent surface form of a stem in the corpus, or null when it has not been seen.</summary>
    string? PreferredSurface(string stem);
}

/// <summary>
/// Document frequencies and surface forms: the corpus figures loaded from the database plus those of the batch being
/// extracted. Deterministic: ties between surface forms go to the ordinally smaller one. Safe to read from several
/// threads once filled.
/// </summary>
public sealed class CorpusStatistics : ITermStatistics
{
    private readonly Dictionary<string, long> _df = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _surfaces = new(StringComparer.Ordinal);

    // Scratch sets of AddDocument, reused (adding documents is single-threaded; reading is what may be concurrent).
    private readonly HashSet<(string, string)> _seenSurfaces = [];
    private readonly HashSet<string> _seenStems = new(StringComparer.Ordinal);

    public long DocumentCount { get; private set; }

    public long DocumentFrequency(string stem) => _df.GetValueOrDefault(stem);

    public string? PreferredSurface(string stem)
    {
        if (!_surfaces.TryGetValue(stem, out var counts))
        {
            return null;
        }

        string? best = null;
        long bestCount = -1;
        foreach (var (surface, count) in counts)
        {
            if (count > bestCount || (count == bestCount && string.CompareOrdinal(surface, best) < 0))
            {
                (best, bestCount) = (surface, count);
            }
        }

        return best;
    }

    /// <summary>Counts a document: each distinct stem once, each distinct (stem, surface) once.</summary>
    public void AddDocument(AnalyzedQa document)
    {
        DocumentCount++;
        var seen = _seenSurfaces;
        var stems = _seenStems;
        seen.Clear();
        stems.Clear();
        foreach (var token in document.Tokens)
        {
            if (seen.Add((token.Stem, token.Surface)))
            {
                AddSurface(token.Stem, token.Surface, 1);
            }

            if (stems.Add(token.Stem))
            {
                _df[token.Stem] = _df.GetValueOrDefault(token.Stem) + 1;
            }
        }
    }

    /// <summary>Adds figures counted elsewhere (the database).</summary>
    public void AddCounts(long documents, IEnumerable<(string Stem, long Count)> documentFrequencies, IEnumerable<(string Stem, string Surface, long Count)> surfaces)
    {
        DocumentCount += documents;
        foreach (var (stem, count) in documentFrequencies)
        {
            _df[stem] = _df.GetValueOrDefault(stem) + count;
        }

        foreach (var (stem, surface, count) in surfaces)
        {
            AddSurface(stem, surface, count);
        }
    }

    private void AddSurface(string stem, string surface, long count)
    {
        if (!_surfaces.TryGetValue(stem, out var counts))
        {
            _surfaces[stem] = counts = new Dictionary<string, long>(1, StringComparer.Ordinal);
        }

        counts[surface] = counts.GetValueOrDefault(surface) + count;
    }
}

/// <summary>
/// The built-in extractor: offline and deterministic. Candidates are the 1–3 word n-grams inside runs of content words
/// (RAKE-style: stop words and punctuation end a run). A candidate scores
/// <c>tf × mean idf × length factor</c>, where tf weighs a question occurrence <see cref="QuestionWeight"/> times an
/// answer occurrence and idf is <c>ln(1 + (N + 1) / (df + 1))</c> over the corpus document frequencies of its stems.
/// Multi-word candidates must occur in the question or at least twice. The best candidates are taken greedily,
/// skipping one whose stems are a subset or superset of one already taken, up to <c>maxTopics</c> and down to
/// <see cref="MinRelativeScore"/> of the best. Tags are the stems' most frequent surface forms, hyphenated.
/// A question without content words is trivial: no topics.
/// </summary>
public static class KeyphraseExtractor
{
    /// <summary>Stored in <c>topic_extractions.extractor_version</c>; change it when the extraction changes materially.</summary>
    public const string Version = "kp-1";

    public const double QuestionWeight = 3.0;
    public const double MinRelativeScore = 0.3;
    private static readonly double[] LengthFactor = [0, 1.0, 1.7, 1.9];

    private sealed class Candidate(string[] stems, string[] surfaces)
    {
        public string[] Stems { get; } = stems;
        public string[] Surfaces { get; } = surfaces;
        public double Tf { get; set; }
        public int Count { get; set; }
        public bool InQuestion { get; set; }
        public int FirstPosition { get; set; } = int.MaxValue;
        public double Score { get; set; }
    }

    public static TopicResult Extract(AnalyzedQa document, ITermStatistics statistics, int maxTopics = 5)
    {
        if (document.QuestionContentWords == 0)
        {
            return TopicResult.Trivial;
        }

        var tokens = document.Tokens;
        var candidates = new Dictionary<string, Candidate>(tokens.Count * 2, StringComparer.Ordinal);
        var start = 0;
        for (var i = 1; i <= tokens.Count; i++)
        {
            if (i < tokens.Count && tokens[i].Run == tokens[start].Run)
            {
                continue;
            }

            AddRun(tokens, start, i, candidates);
            start = i;
        }

        var n = statistics.DocumentCount;
        var ranked = new List<Candidate>(candidates.Count);
        foreach (var candidate in candidates.Values)
        {
            var length = candidate.Stems.Length;
            if ((length == 2 && !candidate.InQuestion && candidate.Count < 2) || (length == 3 && !candidate.InQuestion && candidate.Count < 2))
            {
                continue;
            }

            double idf = 0;
            foreach (var stem in candidate.Stems)
            {
                idf += Math.Log(1 + ((n + 1.0) / (statistics.DocumentFrequency(stem) + 1.0)));
            }

            candidate.Score = candidate.Tf * (idf / length) * LengthFactor[length];
            ranked.Add(candidate);
        }

        if (ranked.Count == 0)
        {
            return TopicResult.Trivial;
        }

        ranked.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.FirstPosition.CompareTo(b.FirstPosition);
        });

        var best = ranked[0].Score;
        var chosen = new List<Candidate>(maxTopics);
        foreach (var candidate in ranked)
        {
            if (chosen.Count >= maxTopics || candidate.Score < best * MinRelativeScore)
            {
                break;
            }

            if (chosen.Exists(c => Overlaps(c.Stems, candidate.Stems)))
            {
                continue;
            }

            chosen.Add(candidate);
        }

        var topics = new List<string>(chosen.Count);
        foreach (var candidate in chosen)
        {
            var tag = Tag(candidate, statistics);
            if (tag.Length > 0 && !topics.Contains(tag))
            {
                topics.Add(tag);
            }
        }

        var total = chosen.Sum(c => c.Score);
        var confidence = Math.Round(Math.Clamp(0.4 + (0.6 * (best / (total + 1e-9))) * Math.Min(1.0, best / 10.0), 0.05, 0.99), 3);
        return topics.Count == 0 ? TopicResult.Trivial : new TopicResult(topics, topics[0], confidence, TopicResult.Keyword);
    }

    private static void AddRun(IReadOnlyList<TopicToken> tokens, int from, int to, Dictionary<string, Candidate> candidates)
    {
        for (var i = from; i < to; i++)
        {
            for (var length = 1; length <= 3 && i + length <= to; length++)
            {
                var key = length switch
                {
                    1 => tokens[i].Stem,
                    2 => string.Concat(tokens[i].Stem, " ", tokens[i + 1].Stem),
                    _ => string.Concat(tokens[i].Stem, " ", tokens[i + 1].Stem, " ", tokens[i + 2].Stem),
                };

                if (!candidates.TryGetValue(key, out var candidate))
                {
                    var stems = new string[length];
                    var surfaces = new string[length];
                    for (var k = 0; k < length; k++)
                    {
                        stems[k] = tokens[i + k].Stem;
                        surfaces[k] = tokens[i + k].Surface;
                    }

                    if (length > 1 && stems.Distinct(StringComparer.Ordinal).Count() < length)
                    {
                        continue;
                    }

                    candidates[key] = candidate = new Candidate(stems, surfaces);
                }

                var inQuestion = tokens[i].InQuestion;
                candidate.Tf += inQuestion ? QuestionWeight : 1.0;
                candidate.Count++;
                candidate.InQuestion |= inQuestion;
                candidate.FirstPosition = Math.Min(candidate.FirstPosition, i);
            }
        }
    }

    /// <summary>Redundant: one's stems are a subset of the other's, or two phrases share two or more stems.</summary>
    private static bool Overlaps(string[] a, string[] b)
    {
        var (small, large) = a.Length <= b.Length ? (a, b) : (b, a);
        var shared = 0;
        foreach (var stem in small)
        {
            if (Array.IndexOf(large, stem) >= 0)
            {
                shared++;
            }
        }

        return shared == small.Length || shared >= 2;
    }

    /// <summary>
    /// Each word as the phrase first appeared in this Q&amp;A (the question first); replaced by the corpus's most frequent
    /// surface form when the two differ only by a plural ending, so <c>indexes</c> and <c>index</c> make one tag across rows while
    /// <c>controller</c> is never turned into <c>control</c> (which share a stem).
    /// </summary>
    private static string Tag(Candidate candidate, ITermStatistics statistics)
    {
        var parts = new string[candidate.Stems.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var stem = candidate.Stems[i];
            var local = candidate.Surfaces[i];
            var preferred = statistics.PreferredSurface(stem);
            if (preferred is not null && IsPluralPair(local, preferred))
            {
                // A modifier reads singular ("error-budget", not "errors-budget"); the head takes the corpus's usual form.
                parts[i] = i < parts.Length - 1 ? Shorter(local, preferred) : preferred;
            }
            else
            {
                parts[i] = local;
            }
        }

        return TopicText.NormalizeTag(string.Join('-', parts));
    }

    private static string Shorter(string a, string b) => a.Length <= b.Length ? a : b;

    private static bool IsPluralPair(string a, string b)
    {
        if (a.Length > b.Length)
        {
            (a, b) = (b, a);
        }

        return string.Equals(a, b, StringComparison.Ordinal)
            || (b.Length == a.Length + 1 && b.EndsWith('s') && b.StartsWith(a, StringComparison.Ordinal))
            || (b.Length == a.Length + 2 && b.EndsWith("es", StringComparison.Ordinal) && b.StartsWith(a, StringComparison.Ordinal))
            || (b.Length == a.Length + 2 && a.EndsWith('y') && b.EndsWith("ies", StringComparison.Ordinal)
                && b.AsSpan(0, b.Length - 3).SequenceEqual(a.AsSpan(0, a.Length - 1)));
    }
}
