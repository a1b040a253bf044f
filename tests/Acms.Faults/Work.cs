namespace Acms.Faults;

/// <summary>
/// How much of a job's work is committed, read from the rows it writes (and from <c>job_run_batches</c> once the job
/// records its batches): kill points and injections are chosen by watching it, not only by elapsed time.
/// </summary>
public static class Work
{
    public static string CommittedSql(string job) => job switch
    {
        // Decayed rows get a last_decayed_at within the last day of the dataset's "now".
        "decay" => $"SELECT (SELECT count(*) FROM memory_items WHERE last_decayed_at > '{Acms.Bench.Dataset.Now:yyyy-MM-dd HH:mm:ss}+00'::timestamptz - interval '1 day') + (SELECT count(*) FROM job_run_batches)",
        "dedup" or "cleanup" => "SELECT (SELECT count(*) FROM memory_items_archive) + (SELECT count(*) FROM job_run_batches)",
        "topic_extraction" => "SELECT (SELECT count(*) FROM topic_extractions) + (SELECT count(*) FROM job_run_batches)",
        _ => "SELECT count(*) FROM job_run_batches",
    };

    public const string RunningSql = "SELECT count(*) FROM job_runs WHERE status = 'running'";

    /// <summary>
    /// The jobs' shipped settings (batch sizes, lease timing), with no LLM and any <c>--set</c> over them: what the live-traffic scenario measures.
    /// </summary>
    public static Dictionary<string, string?> ShippedSettings(FaultOptions o)
    {
        var settings = new Dictionary<string, string?> { ["Jobs:TopicExtraction:LlmEnabled"] = "false" };
        foreach (var (key, value) in o.Overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Settings of every run, clean and faulted: batches small enough that a run at the chosen size has many of them to
    /// be interrupted between, and no LLM (no external service in a fault test).
    /// </summary>
    public static Dictionary<string, string?> Settings(FaultOptions o) => new()
    {
        ["Jobs:TopicExtraction:LlmEnabled"] = "false",
        ["Jobs:Decay:BatchSize"] = $"{Math.Max(50, o.Memories / 60)}",
        ["Jobs:Cleanup:BatchSize"] = $"{Math.Max(20, o.Memories / 400)}",
        ["Jobs:Dedup:UsersPerScan"] = $"{Math.Max(1, o.Users / 10)}",
        ["Jobs:Dedup:BatchSize"] = "100",
        ["Jobs:TopicExtraction:BatchSize"] = $"{Math.Max(50, o.Queries / 40)}",
        ["Jobs:Lease:HeartbeatInterval"] = "00:00:01",
        ["Jobs:Lease:Timeout"] = "00:00:30",
    };
}
