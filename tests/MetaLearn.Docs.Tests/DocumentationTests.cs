using System.Diagnostics;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using MetaLearn.Testing;
using MetaLearn.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Xunit.Abstractions;

namespace MetaLearn.Docs.Tests;

/// <summary>
/// The C# in the README and the guides compiles and runs, so the documentation cannot rot: each document's blocks run in
/// order as one C# script session (a later block sees the variables and types of earlier ones, as a reader does), in a
/// fresh working folder holding copies of tests/fixtures (the PyTorch-made checkpoints the interop guide loads).
/// </summary>
/// <remarks>
/// Scripts rather than a compiled snippets project: the Markdown stays the single source a reader sees on GitHub, on
/// NuGet and in the docfx site alike, with no include syntax that only one of them renders.
/// </remarks>
public class DocumentationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string>();
        foreach (var path in new[] { Path.Combine(RepositoryRoot.Path, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)))
        {
            if (MarkdownCode.Extract(File.ReadAllText(path)).Count > 0)
            {
                documents.Add(Path.GetRelativePath(RepositoryRoot.Path, path));
            }
        }

        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task TheCodeInTheDocumentRuns(string document)
    {
        var blocks = MarkdownCode.Extract(File.ReadAllText(Path.Combine(RepositoryRoot.Path, document)));
        // The references and implicit usings of a console project (dotnet new console) with the MetaLearn packages and xunit.
        var options = ScriptOptions.Default
            .AddReferences(typeof(Console).Assembly, typeof(Enumerable).Assembly, typeof(List<>).Assembly, typeof(File).Assembly, typeof(System.Collections.Immutable.ImmutableArray).Assembly)
            .AddReferences(typeof(Tensor).Assembly, typeof(Maml).Assembly, typeof(GradientAssert).Assembly, typeof(Assert).Assembly, typeof(FactAttribute).Assembly)
            // The production guide's packages: ONNX export and ONNX Runtime, the ML.NET bridge, the ILogger bridge.
            .AddReferences(typeof(MetaLearn.Onnx.OnnxExport).Assembly, typeof(global::Onnx.ModelProto).Assembly, typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly)
            .AddReferences(typeof(MetaLearn.ML.FewShotCatalog).Assembly, typeof(Microsoft.ML.MLContext).Assembly, typeof(Microsoft.ML.IDataView).Assembly, typeof(Microsoft.ML.Data.VectorTypeAttribute).Assembly)
            .AddReferences(typeof(MetaLearn.Extensions.Logging.TrainingLogExtensions).Assembly, typeof(Microsoft.Extensions.Logging.ILogger).Assembly)
            .AddReferences(typeof(MetaLearn.Orleans.ClusterMetaBatchExecutor).Assembly, typeof(global::Orleans.IGrainFactory).Assembly)
            .WithImports("System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks")
            .WithOptimizationLevel(OptimizationLevel.Release);

        string folder = Path.Combine(Path.GetTempPath(), "metalearn-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var fixture in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "tests", "fixtures"), "*.safetensors"))
        {
            File.Copy(fixture, Path.Combine(folder, Path.GetFileName(fixture)));
        }

        string previousFolder = Environment.CurrentDirectory;
        var previousOut = Console.Out;
        using var console = new StringWriter();
        var clock = Stopwatch.StartNew();
        try
        {
            Environment.CurrentDirectory = folder;
            Console.SetOut(console);
            ScriptState? state = null;
            foreach (var block in blocks)
            {
                try
                {
                    state = state is null
                        ? await CSharpScript.RunAsync(block.Code, options)
                        : await state.ContinueWithAsync(block.Code, options);
                }
                catch (CompilationErrorException e)
                {
                    Assert.Fail($"{document}, {Describe(block)}: does not compile:\n{string.Join("\n", e.Diagnostics.Select(d => Locate(d, block)))}");
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"{document}, {Describe(block)}: threw {e}\nOutput so far:\n{console}");
                }
            }
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousFolder;
            Directory.Delete(folder, recursive: true);
        }

        output.WriteLine($"{blocks.Count} blocks ran in {clock.Elapsed.TotalSeconds:F1} s; their output:\n{console}");
    }

    private static string Describe(CodeBlock block) => block.Hidden ? $"the <!-- run: --> comment at line {block.Line}" : $"the block starting at line {block.Line}";

    /// <summary>A diagnostic with its line in the Markdown document rather than in the block.</summary>
    private static string Locate(Diagnostic diagnostic, CodeBlock block)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"  line {block.Line + span.StartLinePosition.Line}: {diagnostic.Id} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
