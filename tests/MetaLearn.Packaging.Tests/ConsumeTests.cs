using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MetaLearn.Packaging.Tests;

/// <summary>
/// A user's first steps, for real: a fresh console project in a temporary folder outside the repository adds MetaLearn,
/// MetaLearn.Testing, MetaLearn.ML, MetaLearn.Onnx and MetaLearn.Orleans from the folder feed (only from there: NuGet's package source mapping sends every MetaLearn*
/// id to the feed) and their dependencies from the machine's NuGet cache and registry, then builds and runs MAML on
/// sine waves, a nearest-centroid few-shot classifier, the same classifier in an ML.NET pipeline, an ONNX export, and
/// MAML's meta-gradient on a two-silo localhost Orleans cluster.
/// </summary>
public partial class ConsumeTests(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    [Fact]
    public void AFreshConsoleProjectInstallsThePackagesAndMetaLearns()
    {
        string folder = Path.Combine(Path.GetTempPath(), "metalearn-consumer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var clock = Stopwatch.StartNew();
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(folder, "packages") };
            var registries = Regex.Matches(ProcessRunner.Run("dotnet", "nuget list source --format short", folder), @"^E (\S+)$", RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value).ToArray();
            string cache = GlobalPackagesFolder().Trim();
            File.WriteAllText(Path.Combine(folder, "nuget.config"), NuGetConfig(feed.Folder, cache, registries));
            File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                </Project>
                """);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(folder, "Program.cs"));

            string version = feed.Version("MetaLearn");
            ProcessRunner.Run("dotnet", $"add package MetaLearn --version {version}", folder, environment);
            ProcessRunner.Run("dotnet", $"add package MetaLearn.Testing --version {version}", folder, environment);
            ProcessRunner.Run("dotnet", $"add package MetaLearn.ML --version {version}", folder, environment);
            ProcessRunner.Run("dotnet", $"add package MetaLearn.Onnx --version {version}", folder, environment);
            ProcessRunner.Run("dotnet", $"add package MetaLearn.Orleans --version {version}", folder, environment);
            string run = ProcessRunner.Run("dotnet", "run -c Release", folder, environment);
            output.WriteLine($"packed in {feed.PackTime.TotalSeconds:F1} s; added, built and ran in {clock.Elapsed.TotalSeconds:F1} s\n{run}");

            // Only the feed could have supplied MetaLearn: its files in the fresh package folder are the packed ones.
            Assert.Equal(
                File.ReadAllBytes(feed.Package("MetaLearn")),
                File.ReadAllBytes(Path.Combine(folder, "packages", "metalearn", version, $"metalearn.{version}.nupkg")));

            var maml = MamlLine().Match(run);
            Assert.True(maml.Success, $"No MAML line in the consumer's output:\n{run}");
            double before = double.Parse(maml.Groups[1].Value, CultureInfo.InvariantCulture);
            double after = double.Parse(maml.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(after < 0.8 * before, $"MAML did not learn in the consumer: one-step MSE {before} before, {after} after.");

            var centroid = CentroidLine().Match(run);
            Assert.True(centroid.Success, $"No nearest-centroid line in the consumer's output:\n{run}");
            double accuracy = double.Parse(centroid.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(accuracy > 0.6, $"Nearest-centroid 5-way 1-shot accuracy {accuracy} (chance 0.2).");

            var mlnet = MlNetLine().Match(run);
            Assert.True(mlnet.Success, $"No ML.NET line in the consumer's output:\n{run}");
            Assert.Equal("100", mlnet.Groups[1].Value);
            double pipelineAccuracy = double.Parse(mlnet.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(pipelineAccuracy > 0.6, $"The ML.NET pipeline's 5-way 5-shot accuracy {pipelineAccuracy} (chance 0.2).");

            var onnx = OnnxLine().Match(run);
            Assert.True(onnx.Success, $"No ONNX line in the consumer's output:\n{run}");
            Assert.True(int.Parse(onnx.Groups[1].Value, CultureInfo.InvariantCulture) > 4 * (40 + 1640 + 41), "The ONNX file is smaller than the MLP's float32 weights.");

            Assert.Contains("orleans_maml same_bits=True", run, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string GlobalPackagesFolder()
    {
        string listed = ProcessRunner.Run("dotnet", "nuget locals global-packages --list", Path.GetTempPath());
        return listed[(listed.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>
    /// The feed for MetaLearn* only; everything else from the machine's package cache (read as a local feed, so no
    /// download is needed when the repository's own build restored the same dependencies) or its registries.
    /// </summary>
    private static string NuGetConfig(string feed, string cache, string[] registries)
    {
        var sources = new List<string> { $"""    <add key="metalearn-feed" value="{feed}" />""", $"""    <add key="machine-cache" value="{cache}" />""" };
        var mappings = new List<string>
        {
            """    <packageSource key="metalearn-feed"><package pattern="MetaLearn" /><package pattern="MetaLearn.*" /></packageSource>""",
            """    <packageSource key="machine-cache"><package pattern="*" /></packageSource>""",
        };
        for (int i = 0; i < registries.Length; i++)
        {
            sources.Add($"""    <add key="registry-{i}" value="{registries[i]}" />""");
            mappings.Add($"""    <packageSource key="registry-{i}"><package pattern="*" /></packageSource>""");
        }

        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {string.Join("\n", sources)}
              </packageSources>
              <packageSourceMapping>
                <clear />
            {string.Join("\n", mappings)}
              </packageSourceMapping>
            </configuration>
            """;
    }

    [GeneratedRegex(@"maml_sine before=([0-9.]+) after=([0-9.]+)")]
    private static partial Regex MamlLine();

    [GeneratedRegex(@"nearest_centroid ways=5 shots=1 accuracy=([0-9.]+)")]
    private static partial Regex CentroidLine();

    [GeneratedRegex(@"mlnet_fewshot rows=([0-9]+) accuracy=([0-9.]+)")]
    private static partial Regex MlNetLine();

    [GeneratedRegex(@"onnx_export bytes=([0-9]+) opset=17")]
    private static partial Regex OnnxLine();
}
