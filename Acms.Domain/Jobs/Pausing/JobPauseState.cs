namespace Acms.Domain.Jobs.Pausing;

/// <summary>The result of pausing or resuming a job, in the API's shape.</summary>
public sealed record JobPauseState(string Job, bool Paused, JobPause? Pause);
