using System.Runtime.InteropServices;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Finds one user's merge candidates: equal texts and equal candidate keys by hash; with the similarity pass, keys whose
/// character 3-gram sets have Jaccard ≥ threshold, found with MinHash LSH (no pass over all pairs) and verified exactly.
/// Candidates are only proposals: <see cref="DuplicatePlanner"/> decides. Thread-safe (no mutable state).
/// </summary>
public sealed class NearDuplicateFinder
{
    /// <summary>Probability that a pair exactly at the threshold shares at least one band.</summary>
    public const double TargetRecall = 0.999;

    /// <summary>Members of one LSH bucket compared with a newcomer, at most (a guard against pathological buckets).</summary>
    private const int BucketCap = 64;

    private readonly double _threshold;
    private readonly ulong[] _multipliers;
    private readonly ulong[] _addends;

    public NearDuplicateFinder(double threshold, bool similarity, int hashFunctions)
    {
        _threshold = threshold;
        Similarity = similarity && threshold < 1.0;
        (Bands, Rows) = ChooseBands(threshold, hashFunctions);
        _multipliers = new ulong[Bands * Rows];
        _addends = new ulong[Bands * Rows];
        var state = 0x0AC5_DED0_0000_0001UL; // fixed seed: the same groups on every run
        for (var i = 0; i < _multipliers.Length; i++)
        {
            _multipliers[i] = SplitMix64(ref state) | 1UL;
            _addends[i] = SplitMix64(ref state);
        }
    }

    public bool Similarity { get; }
    public int Bands { get; }
    public int Rows { get; }

    /// <summary>The most rows per band (fewest false candidates) that still catch a pair at the threshold with <see cref="TargetRecall"/>.</summary>
    public static (int Bands, int Rows) ChooseBands(double threshold, int hashFunctions)
    {
        for (var rows = hashFunctions; rows >= 1; rows--)
        {
            if (hashFunctions % rows != 0)
            {
                continue;
            }

            var bands = hashFunctions / rows;
            if (1 - Math.Pow(1 - Math.Pow(threshold, rows), bands) >= TargetRecall)
            {
                return (bands, rows);
            }
        }

        return (hashFunctions, 1);
    }

    /// <summary>
    /// Candidate clusters (index arrays, two or more members) of one user's memories: texts equal after normalization
    /// (<paramref name="texts"/>) always; with the similarity pass also equal candidate keys (<paramref name="keys"/>, see
    /// <see cref="SameMeaningRule.CandidateKeys"/>) and keys whose 3-gram Jaccard is at least the threshold (MinHash LSH,
    /// verified exactly). A cluster is connected through any of these links, so it is only a candidate set: the planner
    /// checks every member against the survivor. Empty texts and empty keys never link.
    /// </summary>
    public List<int[]> FindCandidates(IReadOnlyList<string> texts, string[][]? keys)
    {
        var sets = new UnionFind(texts.Count);
        LinkEqual(texts, sets, out _);
        if (Similarity && keys is not null)
        {
            var primary = keys.Select(k => k[0]).ToArray();
            LinkEqual(primary, sets, out var distinct);
            LinkAlternatives(primary, keys, sets);
            if (distinct.Count > 1)
            {
                SimilarityPass(primary, distinct, sets);
            }
        }

        var groups = new Dictionary<int, List<int>>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i].Length == 0)
            {
                continue;
            }

            ref var members = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, sets.Find(i), out _);
            (members ??= []).Add(i);
        }

        return [.. groups.Values.Where(g => g.Count > 1).Select(g => g.ToArray())];
    }

    /// <summary>Links equal non-empty strings; <paramref name="distinct"/> gets the first index of each distinct one.</summary>
    private static void LinkEqual(IReadOnlyList<string> values, UnionFind sets, out List<int> distinct)
    {
        var firstByValue = new Dictionary<string, int>(StringComparer.Ordinal);
        distinct = [];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Length == 0)
            {
                continue;
            }

            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstByValue, values[i], out var seen);
            if (seen)
            {
                sets.Union(first, i);
            }
            else
            {
                first = i;
                distinct.Add(i);
            }
        }
    }

    /// <summary>Links a text's further keys (other readings of an ambiguous misspelling) to the texts whose first key they equal.</summary>
    private static void LinkAlternatives(string[] primary, string[][] keys, UnionFind sets)
    {
        Dictionary<string, int>? byKey = null;
        for (var i = 0; i < keys.Length; i++)
        {
            for (var k = 1; k < keys[i].Length; k++)
            {
                byKey ??= primary.Select((key, at) => (key, at)).Where(p => p.key.Length > 0).DistinctBy(p => p.key).ToDictionary(p => p.key, p => p.at);
                if (byKey.TryGetValue(keys[i][k], out var other))
                {
                    sets.Union(i, other);
                }
            }
        }
    }

    private void SimilarityPass(string[] texts, List<int> distinct, UnionFind sets)
    {
        var shingles = new long[distinct.Count][];
        var buckets = new Dictionary<ulong, List<int>>();
        var signature = new ulong[Bands * Rows];
        for (var j = 0; j < distinct.Count; j++)
        {
            var mine = shingles[j] = Shingles(texts[distinct[j]]);
            Sign(mine, signature);
            for (var band = 0; band < Bands; band++)
            {
                var key = BandKey(signature.AsSpan(band * Rows, Rows), band);
                ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(buckets, key, out var exists);
                if (!exists)
                {
                    bucket = new List<int>(1) { j };
                    continue;
                }

                foreach (var i in bucket!)
                {
                    if (sets.Find(distinct[i]) != sets.Find(distinct[j]) && Jaccard(shingles[i], mine) >= _threshold)
                    {
                        sets.Union(distinct[i], distinct[j]);
                    }
                }

                if (bucket.Count < BucketCap)
                {
                    bucket.Add(j);
                }
            }
        }
    }

    /// <summary>Sorted distinct character 3-grams, each packed exactly into a long (three UTF-16 units).</summary>
    public static long[] Shingles(string text)
    {
        if (text.Length < 3)
        {
            // One pseudo-shingle for a text of one or two characters, marked by bit 48 so it never equals a 3-gram.
            var packed = 1L << 48;
            for (var i = 0; i < text.Length; i++)
            {
                packed |= (long)text[i] << (16 * (1 - i));
            }

            return [packed];
        }

        var result = new long[text.Length - 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (long)text[i] << 32 | (long)text[i + 1] << 16 | text[i + 2];
        }

        Array.Sort(result);
        var count = 1;
        for (var i = 1; i < result.Length; i++)
        {
            if (result[i] != result[count - 1])
            {
                result[count++] = result[i];
            }
        }

        return count == result.Length ? result : result[..count];
    }

    /// <summary>Exact Jaccard similarity of two sorted distinct sets.</summary>
    public static double Jaccard(long[] a, long[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                common++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)common / (a.Length + b.Length - common);
    }

    private void Sign(long[] shingles, ulong[] signature)
    {
        Array.Fill(signature, ulong.MaxValue);
        var multipliers = _multipliers;
        var addends = _addends;
        foreach (var shingle in shingles)
        {
            var state = (ulong)shingle;
            var h = SplitMix64(ref state);
            for (var k = 0; k < signature.Length; k++)
            {
                var v = h * multipliers[k] + addends[k];
                if (v < signature[k])
                {
                    signature[k] = v;
                }
            }
        }
    }

    private static ulong BandKey(ReadOnlySpan<ulong> rows, int band)
    {
        var state = (ulong)band * 0x9E3779B97F4A7C15UL;
        var key = SplitMix64(ref state);
        foreach (var value in rows)
        {
            state = key ^ value;
            key = SplitMix64(ref state);
        }

        return key;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
