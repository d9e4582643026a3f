using System.Diagnostics;
using System.Reflection;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Packaging.Tests;

/// <summary>
/// Packs every library under src/ once per test run into a temporary folder feed (the builds are already done: the test
/// project references every library, so `dotnet pack --no-build` only packs).
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        Root = RepositoryRoot.Path;
        Folder = Path.Combine(Path.GetTempPath(), "metalearn-feed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Configuration = typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        Libraries = RepositoryRoot.Libraries();

        var clock = Stopwatch.StartNew();
        foreach (var library in Libraries)
        {
            ProcessRunner.Run("dotnet", $"pack \"src/{library}/{library}.csproj\" -c {Configuration} --no-build --no-restore -o \"{Folder}\"", Root);
        }

        PackTime = clock.Elapsed;
    }

    /// <summary>The repository's root folder.</summary>
    public string Root { get; }

    /// <summary>The folder feed holding the .nupkg and .snupkg files.</summary>
    public string Folder { get; }

    /// <summary>The build configuration the libraries were built in (the test's own).</summary>
    public string Configuration { get; }

    /// <summary>Every library under src/, by name.</summary>
    public IReadOnlyList<string> Libraries { get; }

    /// <summary>The machine's NuGet package folder (NUGET_PACKAGES, or ~/.nuget/packages), where dependencies' nuspecs are.</summary>
    public string PackageCache { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>How long packing took.</summary>
    public TimeSpan PackTime { get; }

    /// <summary>The package file of <paramref name="library"/> (exactly one version must be in the feed).</summary>
    public string Package(string library, string extension = ".nupkg")
    {
        var files = Directory.GetFiles(Folder, library + ".*" + extension)
            .Where(f => char.IsDigit(Path.GetFileName(f)[library.Length + 1]))
            .ToArray();
        Assert.True(files.Length == 1, $"Expected one {library}{extension} in {Folder}, found {files.Length}.");
        return files[0];
    }

    /// <summary>The version in a package file's name.</summary>
    public string Version(string library) => Path.GetFileNameWithoutExtension(Package(library))[(library.Length + 1)..];

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
