using System.Globalization;

namespace Acms.Bench;

/// <summary>Command-line settings of one benchmark run.</summary>
public sealed class BenchOptions
{
    public int Memories { get; set; } = 1_000_000;
    public int Queries { get; set; } = 200_000;
    public int Users { get; set; } = 2_000;
    public int Seed { get; set; } = 42;
    public IReadOnlyList<string>? Jobs { get; set; }
    public string Out { get; set; } = Path.Combine("bench", "results");

    /// <summary>Small size, end-state checks only; exits non-zero when any check fails.</summary>
    public bool Ci { get; set; }

    /// <summary>Repeated calls per read query after <see cref="Warmup"/> warm-up calls.</summary>
    public int Calls { get; set; } = 200;
    public int Warmup { get; set; } = 20;

    /// <summary>Keep every bench database (and an embedded server's data folder) — for EXPLAIN sessions after a run.</summary>
    public bool Keep { get; set; }

    /// <summary>Keep the template database and reuse it when the same size and seed run again (external server).</summary>
    public bool Reuse { get; set; }

    /// <summary>Job/floor pairs per case, each on fresh clones; the report shows the medians.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>
    /// With a value, topic extraction's optional LLM tier runs, against a stand-in model that answers after this latency
    /// (<see cref="SimulatedChatClient"/>): the tier's rows/s and run time, not the model's quality.
    /// </summary>
    public TimeSpan? LlmLatency { get; set; }

    /// <summary>Settings layered over every case's (<c>--set Jobs:TopicExtraction:BatchSize=10000</c>), to try an option.</summary>
    public Dictionary<string, string?> Set { get; } = [];

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Acms.Bench -- [options]
          --memories N     memories to generate (default 1000000)
          --queries N      Q&A rows to generate (default 200000)
          --users N        users (default 2000)
          --seed N         random seed (default 42)
          --jobs a,b       only these cases (decay, dedup, cleanup, topic_extraction, insight_generation, weekly_report, reads)
          --out DIR        where bench-<memories>.md/.json go (default bench/results)
          --calls N        timed calls per read query (default 200, after --warmup 20)
          --repeat N       job/floor pairs per job on fresh clones, alternating which runs first; medians reported (default 1)
          --llm-latency-ms N  run topic extraction's LLM tier (LlmEnabled) against a stand-in model answering after N ms
          --set KEY=VALUE  a setting layered over every job's options (e.g. Jobs:Decay:BatchSize=50000), repeatable
          --reuse          keep the template database and reuse it for the same size and seed (with ConnectionStrings__Acms)
          --keep           keep every bench database (to EXPLAIN afterwards)
          --ci             CI size (20000 memories, 5000 Q&A, 200 users, results to bench/results/tmp);
                           exits 1 when a job fails or an end state differs from the floor's. Ratios are not asserted.
        ConnectionStrings__Acms set: databases bench_* are created on that server instead of a private one.
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var explicitSize = false;
        string? outDir = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--memories": o.Memories = NextInt(); explicitSize = true; break;
                case "--queries": o.Queries = NextInt(); break;
                case "--users": o.Users = NextInt(); break;
                case "--seed": o.Seed = NextInt(); break;
                case "--jobs": o.Jobs = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--out": outDir = Next(); break;
                case "--calls": o.Calls = NextInt(); break;
                case "--warmup": o.Warmup = NextInt(); break;
                case "--keep": o.Keep = true; break;
                case "--reuse": o.Reuse = true; break;
                case "--repeat": o.Repeat = NextInt(); break;
                case "--llm-latency-ms":
                    o.LlmLatency = TimeSpan.FromMilliseconds(NextInt());
                    o.Set["Jobs:TopicExtraction:LlmEnabled"] = "true"; // over the cases' own "false"
                    break;
                case "--set":
                    var pair = Next().Split('=', 2);
                    o.Set[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--set needs key=value.");
                    break;
                case "--ci": o.Ci = true; break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.Ci && !explicitSize)
        {
            o.Memories = 20_000;
            o.Queries = 5_000;
            o.Users = 200;
            o.Calls = 50;
            o.Warmup = 5;
        }

        o.Out = outDir ?? (o.Ci ? Path.Combine("bench", "results", "tmp") : o.Out);
        if (o.Memories < 100 || o.Users < 1 || o.Queries < 0 || o.Calls < 1 || o.Warmup < 0 || o.Repeat < 1 || o.LlmLatency < TimeSpan.Zero)
        {
            throw new ArgumentException("--memories must be >= 100, --users >= 1, --queries >= 0, --calls >= 1, --repeat >= 1, --llm-latency-ms >= 0.");
        }

        return o;
    }

    public bool Wants(string job) => Jobs is null || Jobs.Contains(job, StringComparer.OrdinalIgnoreCase);
}
