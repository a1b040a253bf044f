namespace Acms.Domain.Jobs;

public enum JobTrigger
{
    Timer,
    Http,
    Cli,
}
