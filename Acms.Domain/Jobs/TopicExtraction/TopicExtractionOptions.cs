using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary><c>Jobs:TopicExtraction</c>. Rows of <c>query_history</c> without an extraction of <see cref="ExtractorVersion"/> get one.</summary>
public sealed class TopicExtractionOptions : JobOptions
{
    /// <summary>
    /// A batch's COPY and statistics are one commit whose WAL the ACMS API's next commits wait for: beside live traffic
    /// (with <see cref="JobOptions.Pace"/>) 2,500- and 1,000-row batches held the API writer's p99 at about 3× its idle p99,
    /// 5,000-row ones at 6–11× (faults/results.md § 6, T14–T16). 1,000-row batches cost the extractor its 10,000 Q&amp;A/s
    /// in the bench (8,700–9,400, each batch's statistics upsert and lease renewal paid five times as often); 2,500 kept it.
    /// </summary>
    public TopicExtractionOptions()
    {
        BatchSize = 2_500;
        Pace = BesideLiveTraffic;
    }

    /// <summary>Written to <c>topic_extractions.extractor_version</c>; a new version re-extracts every row once.</summary>
    [Required, StringLength(32, MinimumLength = 1)]
    public string ExtractorVersion { get; set; } = KeyphraseExtractor.Version;

    /// <summary>
    /// A run starts this far before the stored watermark, so rows that arrive a little late (their created_at older than
    /// rows already extracted) are picked up by the next run. Rows later than that are picked up by the full sweep.
    /// </summary>
    public TimeSpan LateArrivalWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often a run walks the whole of query_history (not only the rows after the watermark) to pick up rows that
    /// arrived with a created_at older than <see cref="LateArrivalWindow"/>. Zero sweeps on every run.
    /// </summary>
    public TimeSpan FullSweepInterval { get; set; } = TimeSpan.FromDays(1);

    [Range(1, 5)]
    public int MaxTopics { get; set; } = 5;

    /// <summary>Threads analysing one batch; 0 = one per processor.</summary>
    [Range(0, 256)]
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>
    /// Batches read ahead (their privacy levels computed and their text tokenized) while one is scored and written, at
    /// <see cref="JobOptions.Pace"/> 0; beside live traffic a run never reads ahead. The batch read is the run's critical
    /// path, so a second read in flight keeps the database busy while the job waits on the first.
    /// </summary>
    [Range(1, 8)]
    public int ReadAhead { get; set; } = 2;

    /// <summary>Use the LLM extractor when an <c>IChatClient</c> is registered. Without one the built-in extractor runs.</summary>
    public bool LlmEnabled { get; set; } = true;

    /// <summary>
    /// LLM calls per run at most; rows past it use the built-in extractor. 2,500 covers a peak hour of an organisation of
    /// 1,000 people asking 20 questions a day each within 8 working hours. At the default prices and input cap a call costs
    /// at most about $0.0002, so 2,500 calls stay under the default cost cap of $1.
    /// </summary>
    [Range(0, 1_000_000)]
    public int LlmMaxCallsPerRun { get; set; } = 2_500;

    /// <summary>
    /// LLM calls in flight at once. A call waits most of its time on the model, so a run's LLM rows/s is about this over the
    /// model's latency; keep it within the deployment's tokens-per-minute quota (a call is about 1,100 tokens at the
    /// default input cap), or the service answers 429 and those rows keep the built-in extractor's topics.
    /// </summary>
    [Range(1, 64)]
    public int LlmConcurrency { get; set; } = 8;

    /// <summary>Estimated LLM spend per run at most, in USD.</summary>
    [Range(0.0, 10_000.0)]
    public double LlmMaxCostUsdPerRun { get; set; } = 1.0;

    /// <summary>Price used for the estimate: USD per 1,000 input tokens (4 characters ≈ 1 token when the client reports no usage).</summary>
    [Range(0.0, 1.0)]
    public double LlmUsdPer1kInputTokens { get; set; } = 0.00015;

    [Range(0.0, 1.0)]
    public double LlmUsdPer1kOutputTokens { get; set; } = 0.0006;

    /// <summary>Characters of question plus answer sent to the LLM at most.</summary>
    [Range(100, 100_000)]
    public int LlmMaxInputChars { get; set; } = 4_000;
}
