namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Plans one user's merges. <see cref="NearDuplicateFinder"/> proposes candidate clusters; within a cluster the members
/// are taken in survivor order (<see cref="Survivor"/>): the first is a survivor, every other member that says the same
/// thing as it (equal after normalization, or <see cref="SameMeaningRule"/>) and as every duplicate already taken joins
/// it, and the rest start over with their own best member. So each duplicate is checked against its own survivor, never
/// through a chain (A≈B, B≈C does not merge C into A), and a typo that could be two words ("tral": trail, trial) never
/// brings both into one group. Pure and thread-safe.
/// </summary>
public sealed class DuplicatePlanner(NearDuplicateFinder finder)
{
    /// <param name="members">One user's memories.</param>
    /// <param name="texts">Their texts in NFKC, original case, in the same order.</param>
    public List<DuplicateGroup> Plan(Guid userId, IReadOnlyList<Member> members, IReadOnlyList<string> texts)
    {
        var normalized = texts.Select(TextNormalizer.Normalize).ToArray();
        var keys = finder.Similarity ? texts.Select(t => SameMeaningRule.CandidateKeys(MergeTokenizer.Tokenize(t))).ToArray() : null;
        var groups = new List<DuplicateGroup>();
        foreach (var cluster in finder.FindCandidates(normalized, keys))
        {
            var remaining = cluster.OrderBy(i => members[i], Comparer<Member>.Create(Survivor.Compare)).ToList();
            var tokens = new Dictionary<int, List<MergeToken>>();
            List<MergeToken> TokensOf(int i) => tokens.TryGetValue(i, out var t) ? t : tokens[i] = MergeTokenizer.Tokenize(texts[i]);

            while (remaining.Count > 1)
            {
                var survivor = remaining[0];
                var duplicates = new List<Member>();
                var rest = new List<int>();
                var taken = new List<int> { survivor };
                foreach (var i in remaining.Skip(1))
                {
                    if (taken.All(j => normalized[i] == normalized[j] || (finder.Similarity && SameMeaningRule.Compare(TokensOf(j), TokensOf(i)).Merge)))
                    {
                        taken.Add(i);
                        duplicates.Add(members[i]);
                    }
                    else
                    {
                        rest.Add(i);
                    }
                }

                if (duplicates.Count > 0)
                {
                    groups.Add(new DuplicateGroup(userId, members[survivor], [.. duplicates]));
                }

                remaining = rest;
            }
        }

        // Each user's groups by their survivor: the same list on every run over the same rows.
        groups.Sort((a, b) => Survivor.Compare(a.Survivor, b.Survivor));
        return groups;
    }
}
