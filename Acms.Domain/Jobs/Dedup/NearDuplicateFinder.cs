using System.Runtime.InteropServices;

namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// Groups one user's normalized texts: equal texts by hash; with the similarity pass, texts whose character 3-gram sets
/// have Jaccard ≥ threshold, found with MinHash LSH (no pass over all pairs) and verified exactly. Groups are the
/// connected components (union-find), so a chain of near-duplicates forms one group. Thread-safe (no mutable state).
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

    /// <summary>Index groups (two or more members) of <paramref name="texts"/>; empty texts never group.</summary>
    public List<int[]> FindGroups(IReadOnlyList<string> texts)
    {
        var sets = new UnionFind(texts.Count);
        var firstByText = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i].Length == 0)
            {
                continue;
            }

            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(firstByText, texts[i], out var seen);
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

        if (Similarity && distinct.Count > 1)
        {
            SimilarityPass(texts, distinct, sets);
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

    private void SimilarityPass(IReadOnlyList<string> texts, List<int> distinct, UnionFind sets)
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

    private sealed class UnionFind
    {
        private readonly int[] _parent;

        public UnionFind(int count)
        {
            _parent = new int[count];
            for (var i = 0; i < count; i++)
            {
                _parent[i] = i;
            }
        }

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        /// <summary>The smaller index becomes the root, so a group's root is its first member.</summary>
        public void Union(int a, int b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra != rb)
            {
                _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
            }
        }
    }
}
