using System.Globalization;
using System.Net;
using System.Text;
using Acms.Domain.Common;

namespace Acms.Domain.Reports;

/// <summary>Renders a report as JSON, Markdown or HTML. Every piece of user text is escaped for its format.</summary>
public static class ReportRenderer
{
    public static (string Content, string ContentType) Render(IntelligenceReport report, string format) =>
        RequestValidation.OneOf("format", format, ReportFormats.Json, ReportFormats.Json, ReportFormats.Markdown, ReportFormats.Html) switch
        {
            ReportFormats.Markdown => (report.ExecutiveSummaryMd, "text/markdown; charset=utf-8"),
            ReportFormats.Html => (Html(report), "text/html; charset=utf-8"),
            _ => (Json.Serialize(new Envelope<IntelligenceReport>(report), indented: true), "application/json; charset=utf-8"),
        };

    /// <summary>Backslash-escapes Markdown syntax and drops raw HTML, so user text renders as text.</summary>
    public static string EscapeMarkdown(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '!' or '|' or '~':
                    sb.Append('\\').Append(c);
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case '\r' or '\n':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    public static string Markdown(IntelligenceReport r)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.Append("# ").AppendLine(EscapeMarkdown(r.Title)).AppendLine();
        md.Append("**").Append(EscapeMarkdown(r.Summary)).AppendLine("**").AppendLine();
        md.AppendLine("## Key figures").AppendLine();
        md.AppendLine(inv, $"- Questions answered: {r.Metrics.QaCount}");
        md.AppendLine(inv, $"- Topics: {r.Metrics.TopicsCount}");
        md.AppendLine(inv, $"- Cache hit rate: {r.Metrics.CacheHitRate:P0}");
        md.AppendLine(r.Metrics.AverageCostUsd is { } avg ? string.Create(inv, $"- Average cost per query: ${avg:0.000} (total ${r.Metrics.TotalCostUsd:0.00})") : "- Average cost per query: unknown");
        foreach (var line in MemoryFigures(r.Metrics))
        {
            md.AppendLine(inv, $"- {line}");
        }

        md.AppendLine();
        md.AppendLine("## Top topics").AppendLine();
        if (r.TopTopics.Count == 0)
        {
            md.AppendLine("No topics this period.");
        }
        else
        {
            md.AppendLine("| Topic | Questions | Previous | Trend |").AppendLine("|---|---:|---:|---|");
            foreach (var t in r.TopTopics)
            {
                md.AppendLine(inv, $"| {EscapeMarkdown(t.Topic)} | {t.Count} | {t.PreviousCount} | {t.Trend}{(t.TrendPercent is { } p ? string.Create(inv, $" ({p:+0.#;-0.#;0}%)") : "")} |");
            }
        }

        md.AppendLine().AppendLine("## Insights").AppendLine();
        AppendList(md, r.Insights.Select(i => $"**{EscapeMarkdown(i.Title)}**: {EscapeMarkdown(i.Description)}"), "No insights this period.");
        md.AppendLine().AppendLine("## Recommendations").AppendLine();
        AppendList(md, r.Recommendations.Select(x => $"**{EscapeMarkdown(x.Title)}** ({x.Priority}): {EscapeMarkdown(x.Detail)}"), "No recommendations this period.");
        return md.ToString();
    }

    private static void AppendList(StringBuilder md, IEnumerable<string> items, string empty)
    {
        var any = false;
        foreach (var item in items)
        {
            md.Append("- ").AppendLine(item);
            any = true;
        }

        if (!any)
        {
            md.AppendLine(empty);
        }
    }

    public static string Html(IntelligenceReport r)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<title>").Append(E(r.Title)).AppendLine("</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;color:#222}table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}.n{text-align:right}</style>");
        html.AppendLine("</head><body>");
        html.Append("<h1>").Append(E(r.Title)).AppendLine("</h1>");
        html.Append("<p><strong>").Append(E(r.Summary)).AppendLine("</strong></p>");
        html.AppendLine("<h2>Key figures</h2><ul>");
        html.AppendLine(inv, $"<li>Questions answered: {r.Metrics.QaCount}</li><li>Topics: {r.Metrics.TopicsCount}</li><li>Cache hit rate: {r.Metrics.CacheHitRate:P0}</li>");
        html.AppendLine(r.Metrics.AverageCostUsd is { } avg ? string.Create(inv, $"<li>Average cost per query: ${avg:0.000}</li>") : "<li>Average cost per query: unknown</li>");
        foreach (var line in MemoryFigures(r.Metrics))
        {
            html.AppendLine(inv, $"<li>{line}</li>");
        }

        html.AppendLine("</ul>");
        html.AppendLine("<h2>Top topics</h2>");
        html.AppendLine(Chart(r));
        html.AppendLine("<table><thead><tr><th>Topic</th><th class=\"n\">Questions</th><th class=\"n\">Previous</th><th>Trend</th></tr></thead><tbody>");
        foreach (var t in r.TopTopics)
        {
            html.AppendLine(inv, $"<tr><td>{E(t.Topic)}</td><td class=\"n\">{t.Count}</td><td class=\"n\">{t.PreviousCount}</td><td>{E(t.Trend)}{(t.TrendPercent is { } p ? string.Create(inv, $" ({p:+0.#;-0.#;0}%)") : "")}</td></tr>");
        }

        html.AppendLine("</tbody></table><h2>Insights</h2><ul>");
        foreach (var i in r.Insights)
        {
            html.Append("<li><strong>").Append(E(i.Title)).Append("</strong>: ").Append(E(i.Description)).AppendLine("</li>");
        }

        html.AppendLine("</ul><h2>Recommendations</h2><ul>");
        foreach (var x in r.Recommendations)
        {
            html.Append("<li><strong>").Append(E(x.Title)).Append("</strong> (").Append(E(x.Priority)).Append("): ").Append(E(x.Detail)).AppendLine("</li>");
        }

        html.AppendLine("</ul></body></html>");
        return html.ToString();
    }

    /// <summary>A horizontal bar chart: per topic, the previous period (grey) above this period (blue).</summary>
    private static string Chart(IntelligenceReport r)
    {
        var topics = r.TopTopics.Take(10).ToList();
        const int Label = 180, Width = 320, Row = 30;
        var max = Math.Max(1, topics.Count == 0 ? 1 : topics.Max(t => Math.Max(t.Count, t.PreviousCount)));
        var height = Math.Max(1, topics.Count) * Row + 20;
        var svg = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        svg.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Topic trends\" width=\"{Label + Width + 60}\" height=\"{height}\" viewBox=\"0 0 {Label + Width + 60} {height}\">");
        svg.AppendLine("<title>Questions per topic: previous period (grey) and this period (blue)</title>");
        for (var i = 0; i < topics.Count; i++)
        {
            var t = topics[i];
            var y = 10 + (i * Row);
            var previous = (int)Math.Round(Width * (double)t.PreviousCount / max);
            var current = (int)Math.Round(Width * (double)t.Count / max);
            svg.AppendLine(inv, $"<text x=\"{Label - 6}\" y=\"{y + 14}\" text-anchor=\"end\" font-size=\"12\">{ChartLabel(t.Topic)}</text>");
            svg.AppendLine(inv, $"<rect x=\"{Label}\" y=\"{y}\" width=\"{previous}\" height=\"8\" fill=\"#bbb\"/>");
            svg.AppendLine(inv, $"<rect x=\"{Label}\" y=\"{y + 9}\" width=\"{current}\" height=\"10\" fill=\"#3b6fd8\"/>");
            svg.AppendLine(inv, $"<text x=\"{Label + current + 4}\" y=\"{y + 18}\" font-size=\"11\">{t.Count}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// A topic's label, encoded: a name longer than the label column holds (about 24 characters at 12 px, as on the
    /// dashboard's chart) is cut with an ellipsis and keeps its full name as the label's tooltip, instead of running off
    /// the chart's left edge ("retrieval-augmented-generation" lost its first letters).
    /// </summary>
    private static string ChartLabel(string topic) => topic.Length > 24
        ? $"{WebUtility.HtmlEncode(topic[..23])}…<title>{WebUtility.HtmlEncode(topic)}</title>"
        : WebUtility.HtmlEncode(topic);

    /// <summary>The memory figures the report has, each on its own line; a figure left out for the scope is not shown.</summary>
    private static IEnumerable<string> MemoryFigures(ReportMetrics m)
    {
        foreach (var (label, value) in new[] { ("decayed", m.MemoriesDecayed), ("merged", m.MemoriesMerged), ("cleaned", m.MemoriesCleaned) })
        {
            if (value is { } count)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"Memories {label}: {count}");
            }
        }
    }
}
