using Acms.Domain.Common;

namespace Acms.Cli;

/// <summary>The CLI's answer to a rejected request: the domain's message on stderr and exit 64 (usage) or 1 (not found).</summary>
public static class DomainErrors
{
    public static async Task<int> ReportAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (AcmsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"Invalid {ex.Field}: {ex.Detail}");
            return Commands.JobsRunCommand.UsageError;
        }
        catch (NotFoundException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
