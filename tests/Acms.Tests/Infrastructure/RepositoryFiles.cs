namespace Acms.Tests.Infrastructure;

/// <summary>Paths of files in the repository and in the Functions project's build output.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug or Release); the Functions project was built alongside.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string FunctionsOutput(string file) =>
        Path.Combine(Root, "Acms.Functions", "bin", Configuration, "net10.0", file);

    public static string At(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Acms.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Acms.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
