namespace Acms.Domain.Reports;

public static class ReportFormats
{
    public const string Json = "json";
    public const string Markdown = "markdown";
    public const string Html = "html";
}
