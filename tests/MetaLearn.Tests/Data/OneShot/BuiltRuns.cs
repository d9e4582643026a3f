using System.IO.Compression;
using MetaLearn.Data.OneShot;
using MetaLearn.Tests.Data.Images;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.OneShot;

/// <summary>Four 20-way runs built once from the two background alphabets of the committed fixture, as a folder and as a zip.</summary>
public sealed class BuiltRuns : IDisposable
{
    public static readonly OneShotRunBuildOptions Options = new() { Runs = 4, Ways = 20, Seed = 11, Alphabets = ["Greek", "Latin"] };

    private readonly ScratchFolder _scratch = new();

    public BuiltRuns()
    {
        Folder = Path.Combine(_scratch.Root, "all_runs");
        Runs = OneShotRunBuilder.Build(OmniglotData.FixtureZipPath(), Folder, Options);
        Zip = Path.Combine(_scratch.Root, "all_runs.zip");
        ZipFile.CreateFromDirectory(Folder, Zip, CompressionLevel.Fastest, includeBaseDirectory: true);
    }

    /// <summary>What the builder said it drew.</summary>
    public IReadOnlyList<OneShotRunInfo> Runs { get; }

    /// <summary>The folder holding run01..run04.</summary>
    public string Folder { get; }

    /// <summary>A zip of it, with "all_runs/" as its top folder.</summary>
    public string Zip { get; }

    /// <summary>A fresh path beside the runs for a test's own output.</summary>
    public string NewPath() => Path.Combine(_scratch.Root, Guid.NewGuid().ToString("N"));

    public void Dispose() => _scratch.Dispose();
}
