namespace MetaLearn.Tests.Shared;

/// <summary>The repository's folders, found from a test's own output folder (linked into the test projects that read them).</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder holding MetaLearn.sln.</summary>
    public static string Path { get; } = Find();

    /// <summary>The name of every library under src/ (a folder holding a project of the same name), in ordinal order.</summary>
    public static IReadOnlyList<string> Libraries() =>
        [.. Directory.GetDirectories(System.IO.Path.Combine(Path, "src"))
            .Select(System.IO.Path.GetFileName)
            .OfType<string>()
            .Where(name => File.Exists(System.IO.Path.Combine(Path, "src", name, name + ".csproj")))
            .Order(StringComparer.Ordinal)];

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "MetaLearn.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No MetaLearn.sln above {AppContext.BaseDirectory}.");
    }
}
