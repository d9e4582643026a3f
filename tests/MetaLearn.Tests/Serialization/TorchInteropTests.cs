using MetaLearn.NN;
using MetaLearn.Serialization;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Tests.Serialization;

/// <summary>
/// State dicts saved by PyTorch (tests/fixtures/make_torch_checkpoints.py: the 4-block Omniglot conv net, 32 filters, with
/// running statistics and I64 num_batches_tracked counters) load into our conv net and reproduce PyTorch's eval outputs.
/// </summary>
public sealed class TorchInteropTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    private static ConvNet Net(BatchNormStatistics statistics = BatchNormStatistics.Running) =>
        Backbones.OmniglotConvNet(5, new Generator(99), hiddenChannels: 32, statistics: statistics);

    private static (Tensor Input, float[] Expected) Reference(string outputName)
    {
        using var reader = SafeTensorsReader.Open(Fixture("torch_convnet_io.safetensors"));
        var input = Tensor.FromArray(reader.ReadFloat32("input"), [.. reader.Find("input")!.Shape]);
        return (input, reader.ReadFloat32(outputName));
    }

    /// <summary>Rows: the checkpoint, PyTorch's output for its (rounded) weights, whether its dtype needs converting.</summary>
    public static TheoryData<string, string, bool> Checkpoints => new()
    {
        { "torch_convnet_f32.safetensors", "output_f32", false },
        { "torch_convnet_f16.safetensors", "output_f16", true },
        { "torch_convnet_bf16.safetensors", "output_bf16", true },
    };

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void APyTorchStateDictReproducesPyTorchsEvalOutputs(string file, string outputName, bool converted)
    {
        var net = Net();
        var report = ModuleCheckpoint.Load(net, Fixture(file), new ModuleLoadOptions { ConvertDTypes = converted });

        Assert.True(report.IsComplete, report.ToString());
        Assert.Empty(report.SkippedIntegerTensors);
        Assert.Empty(report.CountersNotInFile);
        Assert.Equal(converted ? net.NamedParameters().Count + net.NamedBuffers().Count : 0, report.Converted.Count);
        Assert.All(net.NamedCounters(), c => Assert.Equal(5, c.Counter.Value));

        var (input, expected) = Reference(outputName);
        var actual = net.Eval().Forward(input).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // The references differ from each other by up to 7e-4 (the rounding of the weights), so 1e-5 tells them apart.
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"{file}: output {i} is {actual[i]}, PyTorch gives {expected[i]}");
        }
    }

    [Fact]
    public void HalfPrecisionFilesNeedConversionToBeAskedFor()
    {
        var error = Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.Load(Net(), Fixture("torch_convnet_bf16.safetensors")));
        Assert.Contains("'classifier.weight' is BF16 [5, 32] in the file; the module expects F32 [5, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APyTorchFileLoadsIntoABatchStatisticsNetWithItsStatisticsReported()
    {
        var net = Net(BatchNormStatistics.Batch);
        var report = ModuleCheckpoint.Load(net, Fixture("torch_convnet_f32.safetensors"), strict: false);
        Assert.Equal(net.NamedParameters().Count, report.Copied.Count);
        Assert.Equal(8, report.Unused.Count);
        Assert.All(report.Unused, name => Assert.Contains(".norm.running_", name, StringComparison.Ordinal));
        Assert.Equal(4, report.SkippedIntegerTensors.Count);
        Assert.All(report.SkippedIntegerTensors, name => Assert.EndsWith(".norm.num_batches_tracked", name, StringComparison.Ordinal));
    }
}
