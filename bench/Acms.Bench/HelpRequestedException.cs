namespace Acms.Bench;

public sealed class HelpRequestedException : Exception
{
}
