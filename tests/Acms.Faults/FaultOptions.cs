using System.Globalization;

namespace Acms.Faults;

/// <summary>Command-line settings of one fault-suite run.</summary>
public sealed class FaultOptions
{
    public int Memories { get; set; } = 200_000;
    public int Users { get; set; } = 2_000;
    public int Queries { get; set; } = 40_000;
    public int Seed { get; set; } = 14;

    /// <summary>kill -9 injections that land while the job process is alive, per job.</summary>
    public int Kills { get; set; } = 20;

    /// <summary>How long the server stays down in the stop-then-start injection (60 s is a managed failover's lower end).</summary>
    public TimeSpan Stop { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Concurrent manual runs per job in the single-runner scenario.</summary>
    public int Concurrent { get; set; } = 50;

    /// <summary>Writer operations per second in the live-traffic scenario.</summary>
    public int WriterRate { get; set; } = 100;

    /// <summary>Settings over the shipped ones in the live-traffic scenario (<c>--set Jobs:Decay:BatchSize=200</c>), to try a change before shipping it.</summary>
    public Dictionary<string, string?> Overrides { get; } = [];

    /// <summary>Measurements per job in the live-traffic scenario, each on a fresh copy; the p99 is judged over all their samples.</summary>
    public int Repeats { get; set; } = 1;

    public IReadOnlyList<string>? Scenarios { get; set; }
    public IReadOnlyList<string> Jobs { get; set; } = ["decay", "dedup", "cleanup", "topic_extraction"];
    public string Out { get; set; } = "faults";
    public bool Ci { get; set; }

    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Acms.Faults -- [options]
          --size N         memories to generate (default 200000; Q&A rows = size / 5, users = size / 100)
          --seed N         dataset and injection seed (default 14)
          --kills N        kill -9 injections per job that land on a live process (default 20)
          --stop SECONDS   server stop before start in the restart scenario (default 60)
          --concurrent N   concurrent manual runs per job (default 50)
          --rate N         live-traffic writer operations per second (default 100)
          --repeats N      live-traffic measurements per job, pooled for the p99 (default 1)
          --set KEY=VALUE  a setting over the shipped ones in the live-traffic scenario (repeatable),
                           e.g. Jobs:Decay:Pace=0
          --scenarios a,b  only these (kill, restart, lease, concurrent, traffic)
          --jobs a,b       only these jobs (default decay,dedup,cleanup,topic_extraction)
          --out DIR        where results.md/.json go (default faults)
          --ci             CI size (3000 memories, stop 4 s, 20 concurrent runs, results to faults/tmp);
                           exits 1 on any violation
        """;

    public static FaultOptions Parse(IReadOnlyList<string> args)
    {
        var o = new FaultOptions();
        int? size = null, stop = null, concurrent = null;
        string? outDir = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            string[] NextList() => Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            switch (args[i])
            {
                case "--size": size = NextInt(); break;
                case "--seed": o.Seed = NextInt(); break;
                case "--kills": o.Kills = NextInt(); break;
                case "--stop": stop = NextInt(); break;
                case "--concurrent": concurrent = NextInt(); break;
                case "--rate": o.WriterRate = NextInt(); break;
                case "--repeats": o.Repeats = NextInt(); break;
                case "--set":
                    var pair = Next().Split('=', 2);
                    o.Overrides[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--set needs KEY=VALUE.");
                    break;
                case "--scenarios": o.Scenarios = NextList(); break;
                case "--jobs": o.Jobs = NextList(); break;
                case "--out": outDir = Next(); break;
                case "--ci": o.Ci = true; break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        o.Memories = size ?? (o.Ci ? 3_000 : 200_000);
        o.Users = Math.Max(10, o.Memories / 100);
        o.Queries = Math.Max(200, o.Memories / 5);
        o.Stop = TimeSpan.FromSeconds(stop ?? (o.Ci ? 4 : 60));
        o.Concurrent = concurrent ?? (o.Ci ? 20 : 50);
        o.Out = outDir ?? (o.Ci ? Path.Combine("faults", "tmp") : "faults");
        if (o.Memories < 500 || o.Kills < 1 || o.Stop <= TimeSpan.Zero || o.Concurrent < 2 || o.WriterRate < 1 || o.Repeats < 1)
        {
            throw new ArgumentException("--size must be >= 500, --kills >= 1, --stop > 0, --concurrent >= 2, --rate >= 1, --repeats >= 1.");
        }

        return o;
    }

    public bool Wants(string scenario) => Scenarios is null || Scenarios.Contains(scenario, StringComparer.OrdinalIgnoreCase);
}
