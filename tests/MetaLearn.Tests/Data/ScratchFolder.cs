namespace MetaLearn.Tests.Data;

/// <summary>A fresh folder under the temp path for one test, removed with everything in it on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "metalearn-data-" + Guid.NewGuid().ToString("N"));

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
