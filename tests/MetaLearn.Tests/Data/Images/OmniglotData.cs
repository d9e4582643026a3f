namespace MetaLearn.Tests.Data.Images;

/// <summary>
/// Where the tests find Omniglot. Most need only two alphabets: they read the committed fixture
/// tests/fixtures/omniglot/images_background.zip (Greek and Latin of the background set, in the release's layout, with the
/// dataset's MIT licence beside it), so a fresh clone runs them. The few that need the whole background set
/// (<see cref="FullZipPath"/>) read the path in METALEARN_OMNIGLOT, else ../shared/data/omniglot/images_background.zip
/// beside the repository; they are marked <see cref="FullOmniglotFactAttribute"/>, which skips them, naming the path, when
/// the zip is not there, unless METALEARN_REQUIRE_OMNIGLOT is set (CI sets it), in which case they run and fail.
/// </summary>
internal static class OmniglotData
{
    public const string Variable = "METALEARN_OMNIGLOT";

    /// <summary>Set (to anything but empty or 0) to make a missing background zip a failure instead of a skip.</summary>
    public const string RequiredVariable = "METALEARN_REQUIRE_OMNIGLOT";

    /// <summary>The two background alphabets of the fixture (24 + 26 characters), for fast tests.</summary>
    public static readonly string[] TwoAlphabets = ["Greek", "Latin"];

    /// <summary>The committed two-alphabet fixture, in the layout of the original images_background.zip.</summary>
    public static string FixtureZipPath()
    {
        string path = Path.Combine(RepositoryRoot(), "tests", "fixtures", "omniglot", "images_background.zip");
        if (!File.Exists(path))
        {
            Assert.Fail($"The committed Omniglot fixture is missing: '{path}'.");
        }

        return path;
    }

    /// <summary>Where the whole background zip is looked for (it may not be there).</summary>
    public static string FullZipLocation()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrEmpty(configured)
            ? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", "omniglot", "images_background.zip"))
            : Path.GetFullPath(configured);
    }

    /// <summary>Whether a missing background zip must fail the tests that need it (METALEARN_REQUIRE_OMNIGLOT is set).</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) is { Length: > 0 } value && value != "0";

    /// <summary>Why a test of the whole background set is skipped, or null when it runs (the zip is there, or it is required).</summary>
    public static string? SkipReason()
    {
        string path = FullZipLocation();
        return File.Exists(path) || Required
            ? null
            : $"needs the whole Omniglot background zip, not found at '{path}' (set {Variable} to its path; set {RequiredVariable}=1 to make this a failure, as CI does)";
    }

    /// <summary>The whole background zip; fails the test, naming the path, when it is not there.</summary>
    public static string FullZipPath()
    {
        string path = FullZipLocation();
        if (!File.Exists(path))
        {
            Assert.Fail($"The Omniglot background zip is not at '{path}' ({(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) ? "the default beside the repository" : Variable)}); set {Variable} to its path.");
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

        Assert.Fail($"No MetaLearn.sln above '{AppContext.BaseDirectory}' to find the repository root.");
        return string.Empty;
    }
}
