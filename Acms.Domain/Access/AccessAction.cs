namespace Acms.Domain.Access;

/// <summary>Reading stored data, or causing a write (generating a report, running or pausing a job).</summary>
public enum AccessAction
{
    Read,
    Write,
}
