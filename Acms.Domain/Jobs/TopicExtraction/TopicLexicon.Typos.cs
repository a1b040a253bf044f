using System.Text;
using Acms.Domain.Jobs.Dedup;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Typo folding of <see cref="TopicLexicon"/>: a misspelt word is looked up by its one-letter deletions in an index of the
/// lexicon, small-talk and list words, so a correction costs a few dictionary lookups instead of a scan of the vocabulary.
/// </summary>
public sealed partial class TopicLexicon
{
    /// <summary>
    /// The lexicon word a misspelt word stands for (<c>kuberentes</c> → <c>kubernetes</c>), a transposed filler word
    /// (<c>rigth</c> → <c>right</c>), or null. Words of 5 letters or more only; known words are never corrected, and an
    /// English word or name is known too ("consult" is not "consul", "settle" not "seattle", "indian" not "india").
    /// </summary>
    public string? CorrectTypo(string word)
    {
        if (word.Length < 5 || _classes.ContainsKey(word) || _lexiconWords.Contains(word) || _smallTalk.Contains(word) || IsToken(word)
            || EnglishWords.IsCommon(word) || EnglishWords.IsName(word))
        {
            return null;
        }

        string? best = null;
        void Consider(List<string>? targets)
        {
            if (targets is null)
            {
                return;
            }

            foreach (var target in targets)
            {
                if ((best is null || string.CompareOrdinal(target, best) < 0) && IsTypoOf(word, target))
                {
                    best = target;
                }
            }
        }

        Consider(_deletions.GetValueOrDefault(word));
        var sb = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            sb.Clear().Append(word, 0, i).Append(word, i + 1, word.Length - i - 1);
            var deleted = sb.ToString();
            Consider(_deletions.GetValueOrDefault(deleted));
        }

        return best;
    }

    private bool IsTypoOf(string word, string target)
    {
        // A typo keeps the word's first letter: a word of another language that differs from a concept in its first two
        // letters ("sitio", Spanish for site) is not "istio".
        if (word[0] != target[0])
        {
            return false;
        }

        // Words of the filler lists are only matched by a transposition (a swapped pair rarely spells another word) or, in
        // words of 7+ letters, a missing or extra letter.
        var distance = EditDistance.OptimalStringAlignment(word, target);
        if (distance != 1)
        {
            return false;
        }

        if (!_lexiconWords.Contains(target) && !_smallTalk.Contains(target))
        {
            return word.Length == target.Length ? EditDistance.IsTransposition(word, target) : Math.Min(word.Length, target.Length) >= 7;
        }

        // A missing or extra letter only in words of 6+ ("phone" is not "iphone", "broke" not "broker").
        return EditDistance.IsTransposition(word, target) || (word.Length >= 6 && (word.Length != target.Length || word.Length >= 8));
    }

    /// <summary>Every lexicon, small-talk, filler and stop word of 5 letters or more, indexed by its one-letter deletions.</summary>
    private void IndexTypos()
    {
        var targets = _lexiconWords.Concat(_smallTalk).Concat(_classes.Keys)
            .Where(w => w.Length >= 5 && !IsToken(w)).Distinct(StringComparer.Ordinal);
        foreach (var word in targets)
        {
            Add(word, word);
            for (var i = 0; i < word.Length; i++)
            {
                Add(string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1)), word);
            }
        }

        void Add(string key, string word)
        {
            if (!_deletions.TryGetValue(key, out var list))
            {
                _deletions[key] = list = new List<string>(1);
            }

            if (!list.Contains(word))
            {
                list.Add(word);
            }
        }
    }
}
