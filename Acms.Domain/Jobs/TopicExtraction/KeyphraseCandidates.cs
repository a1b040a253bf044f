namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The candidates of <see cref="KeyphraseExtractor"/>, gathered run by run: each lexicon concept, and the 1–3 word phrases
/// of each stretch of topic words between concepts, counted with their question and answer occurrences.
/// </summary>
internal static class KeyphraseCandidates
{
    /// <summary>The candidates of a document's tokens, keyed by concept name or phrase.</summary>
    public static Dictionary<string, KeyphraseCandidate> Gather(IReadOnlyList<TopicToken> tokens, TopicLexicon lexicon, KeyphraseWeights w)
    {
        var candidates = new Dictionary<string, KeyphraseCandidate>(tokens.Count * 2, StringComparer.Ordinal);
        var start = 0;
        for (var i = 1; i <= tokens.Count; i++)
        {
            if (i < tokens.Count && tokens[i].Run == tokens[start].Run)
            {
                continue;
            }

            AddRun(tokens, start, i, candidates, lexicon, w);
            start = i;
        }

        return candidates;
    }

    /// <summary>The candidates of one run: each concept, and the phrases of each stretch of words between concepts.</summary>
    private static void AddRun(IReadOnlyList<TopicToken> tokens, int from, int to, Dictionary<string, KeyphraseCandidate> candidates, TopicLexicon lexicon, KeyphraseWeights w)
    {
        // The technology or product concept of the run, if any: the head a compound in it belongs to.
        string? head = null;
        for (var i = from; i < to; i++)
        {
            if (tokens[i].Concept && lexicon.ByName(tokens[i].Key) is { Kind: "technology" or "product" })
            {
                head = tokens[i].Key;
                break;
            }
        }

        var stretch = from;
        for (var i = from; i <= to; i++)
        {
            if (i < to && !tokens[i].Concept)
            {
                continue;
            }

            AddPhrases(tokens, stretch, i, candidates, head, w);
            if (i < to)
            {
                var concept = Get(candidates, [tokens[i].Key], concept: true);
                Count(concept, tokens[i], i, w);
                if (head is not null && tokens[i].Key != head)
                {
                    concept.Head ??= head;
                }
            }

            stretch = i + 1;
        }
    }

    private static void AddPhrases(IReadOnlyList<TopicToken> tokens, int from, int to, Dictionary<string, KeyphraseCandidate> candidates, string? head, KeyphraseWeights w)
    {
        for (var i = from; i < to; i++)
        {
            for (var length = 1; length <= 3 && i + length <= to; length++)
            {
                var generic = true;
                var unknown = false;
                var keys = new string[length];
                for (var k = 0; k < length; k++)
                {
                    keys[k] = tokens[i + k].Key;
                    generic &= tokens[i + k].Generic;
                    unknown |= tokens[i + k].Unknown;
                }

                // A lone generic noun says nothing; a phrase opening with a gerund is an action on something ("destroying
                // resources"), not a subject; a phrase ending in an adjective ("software sold") is not a noun phrase.
                if ((generic && length == 1)
                    || (length > 1 && (keys.Distinct(StringComparer.Ordinal).Count() < length || WordShape.IsGerund(keys[0])
                        || (tokens[i + length - 1].Generic && NonNouns.Classify(keys[^1]) == WordClass.Generic))))
                {
                    continue;
                }

                var candidate = Get(candidates, keys, concept: false);
                Count(candidate, tokens[i], i, w);
                candidate.Head ??= head;
                candidate.Unknown = unknown;
            }
        }
    }

    private static KeyphraseCandidate Get(Dictionary<string, KeyphraseCandidate> candidates, string[] keys, bool concept)
    {
        var id = concept ? "#" + keys[0] : string.Join(' ', keys);
        if (!candidates.TryGetValue(id, out var candidate))
        {
            candidates[id] = candidate = new KeyphraseCandidate(keys, concept);
        }

        return candidate;
    }

    private static void Count(KeyphraseCandidate candidate, TopicToken token, int position, KeyphraseWeights w)
    {
        candidate.Tf += token.InQuestion ? w.QuestionWeight : 1.0;
        candidate.QuestionTf += token.InQuestion ? w.QuestionWeight : 0.0;
        candidate.Count++;
        candidate.InQuestion |= token.InQuestion;
        candidate.FirstPosition = Math.Min(candidate.FirstPosition, position);
    }
}
