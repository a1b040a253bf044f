namespace Acms.Domain.Jobs;

/// <summary>Advisory lock keys: <c>(JobLockClass, hashtext(job_name))</c> is held by the job's one running run.</summary>
internal static class JobLocks
{
    public const int JobLockClass = 0x41434D53; // 'ACMS'
}
