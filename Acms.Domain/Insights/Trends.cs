namespace Acms.Domain.Insights;

public static class Trends
{
    public const string New = "NEW";
    public const string Up = "UP";
    public const string Down = "DOWN";
    public const string Stable = "STABLE";
}
