using MetaLearn.Tests.Shared;

namespace MetaLearn.PublicApi.Tests;

/// <summary>
/// No line of the libraries' C# sources is longer than <see cref="MaxLength"/> characters (the <c>max_line_length</c> of
/// .editorconfig), so a long call, message or signature is wrapped in the codebase's style when it is written.
/// </summary>
public class SourceLineLengthTests
{
    private const int MaxLength = 160;

    [Fact]
    public void NoSourceLineIsLongerThanTheLimit()
    {
        var tooLong = SourceFiles()
            .SelectMany(file => LongLines(file, File.ReadLines(Path.Combine(RepositoryRoot.Path, file))))
            .ToArray();
        Assert.True(
            tooLong.Length == 0,
            $"{tooLong.Length} line(s) of src/ are longer than {MaxLength} characters; wrap them as the neighbouring code does:\n"
                + string.Join("\n", tooLong));
    }

    [Fact]
    public void TheCheckNamesTheFileAndLineOfALongLine()
    {
        string[] lines = ["short", new string('x', MaxLength), new string('x', MaxLength + 1)];

        string found = Assert.Single(LongLines("src/A.cs", lines));
        Assert.Equal("src/A.cs:3 (161 characters)", found);
    }

    /// <summary>Every .cs file under src/, as a path relative to the repository with '/' separators, build outputs left out.</summary>
    private static IEnumerable<string> SourceFiles()
        => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/'))
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> LongLines(string file, IEnumerable<string> lines)
        => lines.Select((line, index) => (Number: index + 1, line.Length))
            .Where(line => line.Length > MaxLength)
            .Select(line => $"{file}:{line.Number} ({line.Length} characters)");
}
