using Acms.Domain.Jobs.Pausing;

namespace Acms.Domain.Runs;

public sealed record JobStatus(
    string Id,
    string Name,
    string Schedule,
    string ScheduleSetting,
    string ScheduleText,
    DateTime? NextRun,
    bool Enabled,
    bool Paused,
    JobPause? Pause,
    bool Running,
    RunningRun? RunningRun,
    JobRunSummary? LastRun,
    DateTime? LastSuccessAt);
