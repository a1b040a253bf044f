namespace Acms.Faults;

public sealed class HelpRequestedException : Exception
{
}
