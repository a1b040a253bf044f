namespace Acms.Domain.Jobs;

/// <summary>What is fixed about a job: its name, where its settings live and its default schedule.</summary>
/// <param name="Name">Snake-case id used in routes, the CLI and the ledger (<c>decay</c>).</param>
/// <param name="Title">Human name shown by the status API.</param>
/// <param name="Section">Options section under <c>Jobs</c> (<c>Jobs:Decay</c>).</param>
/// <param name="ScheduleSetting">Flat app setting holding the six-field CRON (<c>DecaySchedule</c>), used as <c>%DecaySchedule%</c> by the timer.</param>
/// <param name="DefaultSchedule">Six-field NCRONTAB in UTC.</param>
public sealed record JobDefinition(string Name, string Title, string Section, string ScheduleSetting, string DefaultSchedule)
{
    public string OptionsPath => $"Jobs:{Section}";
}
