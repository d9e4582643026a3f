using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>
/// <see cref="Autograd.Checkpoint"/>: the same values and gradients as the plain segment, to any order, with tensors the
/// segment reads from outside found, generators replayed, and nothing of the segment's graph kept.
/// </summary>
public class CheckpointTests
{
    private static readonly Tensor Data = TestData.Uniform(21, [5, 4], -1, 1);

    /// <summary>
    /// One MAML-like inner step on a tiny layer: w, b ← (w, b) − 0.3·∇ Σ(scale·tanh(x·w + b))², the gradient taken with
    /// createGraph; <paramref name="scale"/> is read from outside the segment (as a learned rate would be).
    /// </summary>
    private static Tensor[] InnerStep(Tensor[] weights, Tensor scale, Tensor data)
    {
        var loss = ((data.MatMul(weights[0]) + weights[1]).Tanh() * scale).Square().Sum();
        var gradients = Autograd.Grad([loss], weights, null, createGraph: true);
        return [weights[0] - (gradients[0]! * 0.3), weights[1] - (gradients[1]! * 0.3)];
    }

    /// <summary>Two inner steps, each checkpointed or not, then an outer loss.</summary>
    private static Tensor TwoSteps(Tensor[] x, bool checkpoint, Tensor data)
    {
        Tensor[] weights = [x[0], x[1]];
        for (int step = 0; step < 2; step++)
        {
            weights = checkpoint ? Autograd.Checkpoint(w => InnerStep(w, x[2], data), weights) : InnerStep(weights, x[2], data);
        }

        return (data.MatMul(weights[0]) + weights[1]).Tanh().Sum() + (x[2] * weights[1]).Sum();
    }

    private static Tensor[] Point(DType dtype = DType.Float64) =>
    [
        TestData.Uniform(22, [4, 3], -0.8, 0.8, dtype),
        TestData.Uniform(23, [3], -0.5, 0.5, dtype),
        TestData.Uniform(24, [3], 0.5, 1.5, dtype),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GradientsThroughCheckpointedStepsMatchFiniteDifferences(int order)
    {
        // Order 2 runs the outer backward with createGraph through the checkpoints, so the replay itself is differentiated.
        var result = GradientChecker.Check(x => TwoSteps(x, checkpoint: true, Data), Point(), order);
        Assert.True(result.Passed, result.Failure);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ValuesAndArgumentGradientsAreBitIdenticalToThePlainSegment(DType dtype)
    {
        var data = Data.AsType(dtype);
        var plainInputs = Leaves(Point(dtype));
        var checkpointInputs = Leaves(Point(dtype));
        var plain = TwoSteps(plainInputs, checkpoint: false, data);
        var checkpointed = TwoSteps(checkpointInputs, checkpoint: true, data);
        Assert.Equal(plain.ToDoubleArray(), checkpointed.ToDoubleArray());

        var expected = Autograd.Grad([plain], plainInputs);
        var actual = Autograd.Grad([checkpointed], checkpointInputs);
        Assert.Equal(expected[0]!.ToDoubleArray(), actual[0]!.ToDoubleArray());
        Assert.Equal(expected[1]!.ToDoubleArray(), actual[1]!.ToDoubleArray());

        // The scale is read by both segments and by the outer loss: its gradient is the same terms summed in another
        // association (each segment's part is summed inside the replay first), so it agrees to rounding.
        var scale = expected[2]!.ToDoubleArray();
        var checkpointScale = actual[2]!.ToDoubleArray();
        for (int i = 0; i < scale.Length; i++)
        {
            Assert.True(Math.Abs(scale[i] - checkpointScale[i]) <= TensorAssert.Tolerance(dtype) * (1 + Math.Abs(scale[i])), $"scale {i}: {scale[i]} vs {checkpointScale[i]}");
        }
    }

    [Fact]
    public void KeepsOnlyTheOutputsAndTheTensorsTheyDependOn()
    {
        // Neither the segment's activations nor the graph of its inner gradient survive the forward pass: the outputs'
        // graph holds the inputs, the packed outputs and the copies handed out, nothing more.
        var inputs = Leaves(Point());
        var data = TestData.Uniform(25, [200, 4], -1, 1);
        var plain = InnerStep([inputs[0], inputs[1]], inputs[2], data);
        var checkpointed = Autograd.Checkpoint(w => InnerStep(w, inputs[2], data), [inputs[0], inputs[1]]);

        long parameterBytes = 3 * ((4 * 3) + 3) * sizeof(double);
        Assert.True(RetainedGraph.Bytes(checkpointed) <= parameterBytes + (3 * sizeof(double)), $"checkpointed: {RetainedGraph.Bytes(checkpointed)} bytes");
        Assert.True(RetainedGraph.Bytes(plain) > 10 * parameterBytes, $"plain: {RetainedGraph.Bytes(plain)} bytes");
        Assert.Equal(["checkpoint_output", "checkpoint_output"], checkpointed.Select(t => t.Node!.Name));
        Assert.Equal("checkpoint", checkpointed[0].Node!.Inputs[0].Node!.Name);

        // The node's inputs are the arguments and the scale read from outside.
        Assert.Equal(3, checkpointed[0].Node!.Inputs[0].Node!.Inputs.Length);
    }

    [Fact]
    public void ReplaysTheGeneratorsAndLeavesTheirSequenceAlone()
    {
        var generator = new Generator(5);
        var x = Leaves([TestData.Uniform(26, [6], -1, 1)])[0];
        Tensor[] Noisy(Tensor[] a) => [a[0] * Tensor.RandomUniform(generator, [6], dtype: DType.Float64) * a[0]];

        var expectedGenerator = new Generator(5);
        var mask = Tensor.RandomUniform(expectedGenerator, [6], dtype: DType.Float64);
        var y = Autograd.Checkpoint(Noisy, [x], [generator])[0];
        var after = generator.GetState();
        var gradient = Autograd.Grad([y.Sum()], [x])[0]!;

        Assert.Equal((x * mask * x).ToDoubleArray(), y.ToDoubleArray());
        Assert.Equal((2.0 * mask * x).ToDoubleArray(), gradient.ToDoubleArray());
        Assert.Equal(after, generator.GetState());
        Assert.Equal(expectedGenerator.GetState(), generator.GetState());
    }

    [Fact]
    public void AReplayThatDiffersIsRefused()
    {
        var x = Leaves([TestData.Uniform(27, [4], -1, 1)])[0];
        int calls = 0;
        var y = Autograd.Checkpoint(a => [++calls == 1 ? a[0] * 2.0 : a[0].Reshape(2, 2)], [x])[0];
        var error = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([y.Sum()], [x]));
        Assert.Contains("deterministic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutRecordingOrGradientsNothingIsRecorded()
    {
        var x = Leaves([TestData.Uniform(28, [3], -1, 1)])[0];
        using (Tensor.NoGrad())
        {
            Assert.True(Autograd.Checkpoint(a => [a[0] * 2.0], [x])[0].IsLeaf);
        }

        var constant = Autograd.Checkpoint(a => [a[0] * 2.0], [x.Detach()])[0];
        Assert.False(constant.RequiresGrad);
        Assert.Equal((x * 2.0).ToDoubleArray(), constant.ToDoubleArray());
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var x = Leaves([TestData.Uniform(29, [3], -1, 1)])[0];
        Assert.Throws<ArgumentNullException>(() => Autograd.Checkpoint(null!, [x]));
        Assert.Contains("input 0 is null", Assert.Throws<ArgumentException>(() => Autograd.Checkpoint(a => a, [null!])).Message, StringComparison.Ordinal);
        Assert.Contains("no outputs", Assert.Throws<ArgumentException>(() => Autograd.Checkpoint(_ => [], [x])).Message, StringComparison.Ordinal);
        Assert.Contains("share one dtype", Assert.Throws<ArgumentException>(() => Autograd.Checkpoint(a => [a[0], a[0].AsType(DType.Float32)], [x])).Message,
            StringComparison.Ordinal);
    }

    private static Tensor[] Leaves(Tensor[] values)
    {
        foreach (var value in values)
        {
            value.RequiresGrad = true;
        }

        return values;
    }
}
