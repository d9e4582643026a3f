namespace MetaLearn.Tests.Shared;

/// <summary>
/// A fresh folder under the temp path for one test, removed with everything in it on dispose (linked into the test projects
/// that write files).
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    /// <summary>Creates the folder, named <paramref name="prefix"/> and a new GUID.</summary>
    public ScratchFolder(string prefix = "metalearn-data-")
    {
        Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The full path of <paramref name="relative"/> ('/' separated) inside the folder, its parent folder created.</summary>
    public string PathOf(string relative)
    {
        var full = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
