using System.Globalization;
using MetaLearn.NN;
using MetaLearn.Tensors;
using Xunit.Abstractions;

namespace MetaLearn.Onnx.Tests;

/// <summary>
/// One row per module kind: export (opset 17, float32), run in ONNX Runtime 1.32 and compare with the library's forward
/// pass on the same batch; max |difference| ≤ 1e-5 · max(1, max |library output|), the difference printed.
/// </summary>
public class ModuleExportTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds() => [.. ModuleExportCases.All.Keys];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheExportedModelMatchesTheLibraryInOnnxRuntime(string kind)
    {
        var (module, exampleShape) = ModuleExportCases.All[kind]();
        var input = Tensor.RandomNormal(new Generator(7), [6, .. exampleShape]);
        Tensor expected;
        using (Tensor.NoGrad())
        {
            expected = module.Forward(input);
        }

        var bytes = OnnxExport.ToBytes(module, module.Parameters(), new OnnxExportOptions { InputShape = exampleShape });
        var actual = OnnxRuntimeRunner.Run(bytes, input);
        var (difference, scale) = OnnxRuntimeRunner.Compare(actual, expected);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}: opset {OnnxExport.Opset}, output [{string.Join(", ", expected.Shape)}], max |ONNX Runtime − library| = {difference:E2} (scale {scale:G4})"));
        Assert.True(difference <= OnnxRuntimeRunner.Tolerance * scale, $"{kind}: max |difference| {difference:E3} exceeds {OnnxRuntimeRunner.Tolerance} × {scale:G4}.");
    }

    [Fact]
    public void EveryBuiltInModuleKindHasARowAndAnExporter()
    {
        var registry = OnnxExporterRegistry.CreateDefault();
        var tested = ModuleExportCases.All.Values.Select(f => f().Module).SelectMany(Descendants).Select(m => m.GetType()).ToHashSet();
        foreach (var kind in registry.Kinds.Where(k => !k.IsAbstract))
        {
            Assert.True(tested.Contains(kind), $"{kind.Name} has an exporter but no row in ModuleExportCases.");
        }
    }

    [Fact]
    public void AnUnsupportedModuleKindIsNamedWithItsPath()
    {
        var model = new Sequential(new Linear(3, 3, new Generator(1)), new Doubler());
        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(model, model.Parameters(), new OnnxExportOptions { InputShape = [3] }));
        Assert.Contains(typeof(Doubler).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegisteredRowExportsACustomModuleKind()
    {
        var model = new Sequential(new Linear(3, 2, new Generator(1)), new Doubler());
        var registry = OnnxExporterRegistry.CreateDefault()
            .Register<Doubler>((module, weights, x, graph) => graph.AddNode("Add", [x, x]));
        var input = Tensor.RandomNormal(new Generator(2), [4, 3]);
        var bytes = OnnxExport.ToBytes(model, model.Parameters(), new OnnxExportOptions { InputShape = [3], Registry = registry });
        var (difference, scale) = OnnxRuntimeRunner.Compare(OnnxRuntimeRunner.Run(bytes, input), model.Forward(input));
        Assert.True(difference <= OnnxRuntimeRunner.Tolerance * scale, $"max |difference| {difference}.");
    }

    [Fact]
    public void DropoutInTrainingModeIsRefusedWithItsPath()
    {
        var model = new Sequential(new Linear(3, 3, new Generator(1)), new Dropout(0.5, new Generator(2)));
        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(model, model.Parameters(), new OnnxExportOptions { InputShape = [3] }));
        Assert.Contains("Dropout at '1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Eval()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var model = new Linear(3, 2, new Generator(1));
        Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(model, model.Parameters(), new OnnxExportOptions { InputShape = [0] }));
        var wrong = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(model, [model.Parameters()[0]], new OnnxExportOptions { InputShape = [3] }));
        Assert.Equal("weights", wrong.ParamName);
    }

    private static IEnumerable<Module> Descendants(Module module) => [module, .. module.Children.SelectMany(c => Descendants(c.Child))];

    private sealed class Doubler : Module
    {
        public override Tensor Forward(Tensor input, ParameterView parameters) => input * 2.0;
    }
}
