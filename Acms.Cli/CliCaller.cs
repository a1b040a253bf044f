namespace Acms.Cli;

/// <summary>Names the CLI's caller for the records that keep who did something (who paused a job): the OS user.</summary>
public static class CliCaller
{
    public static string Name => $"cli:{Environment.UserName}";
}
