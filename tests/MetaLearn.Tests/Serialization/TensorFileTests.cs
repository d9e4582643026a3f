using MetaLearn.Optim;
using MetaLearn.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Serialization;

/// <summary>The reader behind optimizer and meta-training checkpoints refuses non-finite state (issue 14).</summary>
public sealed class TensorFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metalearn-tensorfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void NonFiniteStateIsRejectedNamingTheFileAndTheTensor()
    {
        var path = Path.Combine(_folder, "state.safetensors");
        TensorFile.Save(path, [("model.w", Tensor.FromArray(new float[] { 1, float.PositiveInfinity })), ("adam/step", Tensor.FromArray(new double[] { 3 }))], null);
        var error = Assert.Throws<InvalidDataException>(() => TensorFile.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'model.w' holds Infinity at element 1", error.Message, StringComparison.Ordinal);

        TensorFile.Save(path, [("model.w", Tensor.FromArray(new float[] { 1, 2 }))], null);
        Assert.Equal([1f, 2f], Assert.Single(TensorFile.Load(path).Tensors).Value.ToArray());
    }

    [Fact]
    public void AnOptimizerCheckpointHoldingNaNIsRejectedAndTheOptimizerKeepsItsState()
    {
        var parameter = Tensor.FromArray(new float[] { 1, 2 });
        parameter.RequiresGrad = true;
        var adam = new Adam([parameter], 0.1);
        var state = adam.ExportState().Select(s => (s.Name, Tensor.FromSpan((ReadOnlySpan<double>)(s.Name == "state.0.exp_avg" ? [double.NaN, 0] : s.Data), s.Shape))).ToList();
        var path = Path.Combine(_folder, "adam.safetensors");
        TensorFile.Save(path, state, new Dictionary<string, string> { ["optimizer"] = nameof(Adam) });

        var error = Assert.Throws<InvalidDataException>(() => OptimizerCheckpoint.Load(adam, path));
        Assert.Contains("'state.0.exp_avg' holds NaN at element 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, adam.StepCount);
    }
}
