using System.Diagnostics;
using Acms.Tests.Infrastructure;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>
/// How this machine runs the Functions host: Core Tools (<c>func start</c>) when it is on PATH, as a developer would,
/// otherwise the repository's sibling kit (<c>../shared/functions-host/start.sh</c>, the real host built from source).
/// </summary>
public sealed record HostLauncher(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    public static string KitDirectory => Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "..", "shared", "functions-host"));

    /// <summary>The launcher for the app in <paramref name="appDirectory"/> on <paramref name="port"/>, or null with the reason.</summary>
    public static HostLauncher? Find(string appDirectory, int port, out string whyNot)
    {
        whyNot = "";
        if (FindOnPath("func") is { } func)
        {
            // --enableAuth: Core Tools skips key checks locally unless asked; the tests prove the keys.
            return new HostLauncher("func start (Core Tools)", func, ["start", "--port", P(port), "--enableAuth", "--script-root", appDirectory]);
        }

        var startScript = Path.Combine(KitDirectory, "start.sh");
        if (File.Exists(startScript))
        {
            // The app folder's local.settings.json (a developer's) is ignored: the fixture passes every setting itself.
            return new HostLauncher("functions-host kit (start.sh)", "bash", [startScript, appDirectory, "--port", P(port), "--no-local-settings"]);
        }

        whyNot = $"End-to-end tests skipped: neither Azure Functions Core Tools ('func' on PATH) nor the host kit ({KitDirectory}) is available to run the Functions host.";
        return null;
    }

    public ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(FileName) { WorkingDirectory = workingDirectory };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not leak into the app: only what the fixture sets, as local.settings.json would.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Jobs__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static string P(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
