using System.Reflection;
using MetaLearn.Tests.Shared;
using PublicApiGenerator;

namespace MetaLearn.PublicApi.Tests;

/// <summary>
/// The public surface of each library is the approved file <c>approved/NAME.txt</c>, so a change to it is a visible,
/// reviewed diff. After a deliberate change run <c>tools/update-public-api.sh</c> and commit the files it rewrites.
/// </summary>
public class PublicApiTests
{
    /// <summary>Set to 1 (by tools/update-public-api.sh) to write the approved files instead of comparing.</summary>
    private const string UpdateVariable = "METALEARN_UPDATE_PUBLIC_API";

    public static TheoryData<string> Libraries() => [.. RepositoryRoot.Libraries()];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void PublicApiIsTheApprovedOne(string library)
    {
        var assembly = Assembly.Load(new AssemblyName(library));
        string api = Normalize(assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        string path = Path.Combine(RepositoryRoot.Path, "tests", "MetaLearn.PublicApi.Tests", "approved", library + ".txt");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, api);
            return;
        }

        Assert.True(File.Exists(path), $"{library} has no approved public API file ({path}). Run tools/update-public-api.sh and commit the file.");
        string approved = Normalize(File.ReadAllText(path));
        if (approved != api)
        {
            Assert.Fail($"The public API of {library} differs from {Path.GetRelativePath(RepositoryRoot.Path, path)}:\n{Difference(approved, api)}\n" +
                "If the change is deliberate, run tools/update-public-api.sh and commit the approved file with it.");
        }
    }

    [Fact]
    public void EveryApprovedFileBelongsToALibrary()
    {
        var libraries = RepositoryRoot.Libraries();
        var stale = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "tests", "MetaLearn.PublicApi.Tests", "approved"), "*.txt")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !libraries.Contains(name))
            .ToArray();
        Assert.True(stale.Length == 0, $"Approved API files with no library under src/: {string.Join(", ", stale)}. Delete them.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    /// <summary>The lines only in the approved file (-) and only in the current API (+), at most 40 of each.</summary>
    private static string Difference(string approved, string current)
    {
        var before = approved.Split('\n');
        var after = current.Split('\n');
        var removed = before.Except(after).Take(40).Select(l => "- " + l);
        var added = after.Except(before).Take(40).Select(l => "+ " + l);
        return string.Join("\n", removed.Concat(added));
    }
}
