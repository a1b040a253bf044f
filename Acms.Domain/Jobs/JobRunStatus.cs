namespace Acms.Domain.Jobs;

public enum JobRunStatus
{
    Running,
    Succeeded,
    Failed,
    Skipped,
    Abandoned,
}
