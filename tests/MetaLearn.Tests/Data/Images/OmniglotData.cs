namespace MetaLearn.Tests.Data.Images;

/// <summary>
/// Finds images_background.zip: the path in METALEARN_OMNIGLOT, else ../shared/data/omniglot/images_background.zip from
/// the repository root. A test that needs it fails, saying where it looked, when it is not there.
/// </summary>
internal static class OmniglotData
{
    public const string Variable = "METALEARN_OMNIGLOT";

    /// <summary>Two small background alphabets (24 + 26 characters) for fast tests.</summary>
    public static readonly string[] TwoAlphabets = ["Greek", "Latin"];

    public static string ZipPath()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        string path = string.IsNullOrEmpty(configured)
            ? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", "omniglot", "images_background.zip"))
            : Path.GetFullPath(configured);
        if (!File.Exists(path))
        {
            Assert.Fail($"The Omniglot background zip is not at '{path}' ({(string.IsNullOrEmpty(configured) ? "the default beside the repository" : Variable)}); set {Variable} to its path.");
        }

        return path;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaLearn.sln")))
            {
                return folder.FullName;
            }
        }

        Assert.Fail($"No MetaLearn.sln above '{AppContext.BaseDirectory}' to find the repository root; set {Variable}.");
        return string.Empty;
    }
}
