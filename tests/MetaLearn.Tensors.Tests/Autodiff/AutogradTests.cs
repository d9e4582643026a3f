using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>Semantics of the reverse-mode engine: accumulation, graph creation, error reporting, grad modes, threads, depth.</summary>
public class AutogradTests
{
    private static Tensor Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void BackwardAccumulatesIntoGrad()
    {
        var x = Leaf(1, 2, 3);
        var y = (x * x).Sum();
        y.Backward();
        Close(x.Grad!, [3], [2, 4, 6]);
        y.Backward();
        Close(x.Grad!, [3], [4, 8, 12]);
        Assert.False(x.Grad!.RequiresGrad);

        x.Grad = null;
        (x * 3.0).Sum().Backward();
        Close(x.Grad!, [3], [3, 3, 3]);
    }

    [Fact]
    public void EachLeafGetsAGradientTensorOfItsOwn()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 });
        var b = Tensor.FromArray(new double[] { 3, 4 });
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var seed = Tensor.FromArray(new double[] { 1, 1 });
        (a + b).Backward(seed);
        Assert.NotSame(a.Grad, b.Grad);
        Assert.NotSame(seed, a.Grad);
        Assert.Equal(new double[] { 1, 1 }, b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void BackwardOnlyFillsLeavesThatRequireGrad()
    {
        var x = Leaf(1, 2);
        var constant = Vector(5.0, 6);
        var hidden = x * constant;
        hidden.Sum().Backward();
        Close(x.Grad!, [2], [5, 6]);
        Assert.Null(constant.Grad);
        Assert.Null(hidden.Grad);
    }

    [Fact]
    public void BackwardWithExplicitGradientAndCreateGraph()
    {
        var x = Leaf(1, 2);
        var y = x * x;
        y.Backward(Vector(1.0, 10));
        Close(x.Grad!, [2], [2, 40]);

        var z = Leaf(3);
        (z * z * z).Sum().Backward(createGraph: true);
        Assert.True(z.Grad!.RequiresGrad);
        var second = Autograd.Grad(z.Grad!.Sum(), [z]);
        Close(second[0]!, [1], [18]);

        Assert.Throws<ArgumentException>(() => y.Backward());
        Assert.Throws<ArgumentException>(() => y.Backward(Vector(1.0)));
    }

    [Fact]
    public void GradDoesNotTouchGradProperty()
    {
        var x = Leaf(1, 2, 3);
        var g = Autograd.Grad((x * x).Sum(), [x]);
        Close(g[0]!, [3], [2, 4, 6]);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void CreateGraphFalseBuildsNoGraph()
    {
        var x = Leaf(1.5);
        var g = Autograd.Grad((x * x * x).Sum(), [x])[0]!;
        Close(g, [1], [6.75]);
        Assert.False(g.RequiresGrad);
        Assert.True(g.IsLeaf);
    }

    [Fact]
    public void CreateGraphTrueGivesDifferentiableGradients()
    {
        var x = Leaf(1.5);
        var y = (x * x * x).Sum();
        var first = Autograd.Grad(y, [x], createGraph: true)[0]!;
        Close(first, [1], [6.75]); // 3x²
        Assert.True(first.RequiresGrad);
        var second = Autograd.Grad(first.Sum(), [x], createGraph: true)[0]!;
        Close(second, [1], [9]); // 6x
        var third = Autograd.Grad(second.Sum(), [x])[0]!;
        Close(third, [1], [6]);
    }

    [Fact]
    public void AllowUnused()
    {
        var x = Leaf(1, 2);
        var unused = Leaf(3);
        var y = (x * 2.0).Sum();
        var grads = Autograd.Grad(y, [x, unused], allowUnused: true);
        Close(grads[0]!, [2], [2, 2]);
        Assert.Null(grads[1]);

        var error = Assert.Throws<ArgumentException>(() => Autograd.Grad(y, [x, unused]));
        Assert.Contains("input 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowUnused", error.Message, StringComparison.Ordinal);

        var constant = Vector(1.0);
        Assert.Null(Autograd.Grad((x * constant).Sum(), [constant], allowUnused: true)[0]);
    }

    [Fact]
    public void InvalidRequestsAreArgumentExceptions()
    {
        var x = Leaf(1, 2, 3);
        var constant = Tensor.Ones([3], DType.Float64);

        var noGrad = Assert.Throws<ArgumentException>(() => Autograd.Grad(constant.Sum(), [x]));
        Assert.Contains("does not require grad", noGrad.Message, StringComparison.Ordinal);

        var vector = x * 2.0;
        var nonScalar = Assert.Throws<ArgumentException>(() => Autograd.Grad(vector, [x]));
        Assert.Contains("[3]", nonScalar.Message, StringComparison.Ordinal);
        Assert.Contains("gradOutputs", nonScalar.Message, StringComparison.Ordinal);

        var badShape = Assert.Throws<ArgumentException>(() => Autograd.Grad([vector], [x], [Tensor.Ones([2], DType.Float64)]));
        Assert.Contains("[2]", badShape.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", badShape.Message, StringComparison.Ordinal);

        var badDType = Assert.Throws<ArgumentException>(() => Autograd.Grad([vector], [x], [Tensor.Ones(3)]));
        Assert.Contains("Float32", badDType.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => Autograd.Grad([vector], [x], [null, null]));
        Assert.Throws<ArgumentException>(() => Autograd.Grad(x.Sum(), []));
        Assert.Throws<ArgumentException>(() => Autograd.Grad([], [x]));
        Assert.Throws<ArgumentNullException>(() => Autograd.Grad(x.Sum(), [null!]));
        Assert.Throws<ArgumentNullException>(() => Autograd.Grad([null!], [x]));

        // With gradOutputs, a non-scalar output is fine: a vector-Jacobian product.
        var vjp = Autograd.Grad([vector], [x], [Vector(1.0, 0, -1)])[0]!;
        Close(vjp, [3], [2, 0, -2]);
    }

    [Fact]
    public void GradWithRespectToAnIntermediate()
    {
        var x = Leaf(1, 2);
        var hidden = x * x;
        var y = (hidden * hidden * 3.0).Sum();
        var grads = Autograd.Grad(y, [hidden, x]);
        Close(grads[0]!, [2], [6, 24]); // 6h
        Close(grads[1]!, [2], [12, 96]); // 12x³
    }

    [Fact]
    public void TensorUsedTwiceAccumulates()
    {
        var x = Leaf(2, -1);
        Close(Autograd.Grad((x + x).Sum(), [x])[0]!, [2], [2, 2]);
        Close(Autograd.Grad((x * x).Sum(), [x])[0]!, [2], [4, -2]);
        Close(Autograd.Grad(((x * x) + x.Exp() + x).Sum(), [x])[0]!, [2], [5 + Math.Exp(2), -1 + Math.Exp(-1)]);
        var outputs = Autograd.Grad([x.Sum(), (x * 3.0).Sum()], [x]);
        Close(outputs[0]!, [2], [4, 4]);
    }

    [Fact]
    public void BroadcastingIsUndoneInTheGradient()
    {
        var bias = Leaf(1, 2, 3);
        var weights = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var matrix = Tensor.Zeros([2, 3], DType.Float64);
        var y = ((matrix + bias) * weights).Sum();
        Close(Autograd.Grad(y, [bias])[0]!, [3], [5, 7, 9]); // column sums

        var a = Tensor.Ones([2, 1, 3], DType.Float64);
        var b = Tensor.Ones([4, 1], DType.Float64);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var grads = Autograd.Grad((a + b).Sum(), [a, b]);
        Close(grads[0]!, [2, 1, 3], [4, 4, 4, 4, 4, 4]);
        Close(grads[1]!, [4, 1], [6, 6, 6, 6]);

        var scalar = Tensor.Scalar(2, DType.Float64);
        scalar.RequiresGrad = true;
        Close(Autograd.Grad((weights * scalar).Sum(), [scalar])[0]!, [], [21]);
    }

    [Fact]
    public void NoGradScopes()
    {
        var x = Leaf(1, 2);
        var cube = (x * x * x).Sum();
        Assert.True(Tensor.IsGradEnabled);
        using (Tensor.NoGrad())
        {
            Assert.False(Tensor.IsGradEnabled);
            var y = x * 2.0;
            Assert.False(y.RequiresGrad);
            Assert.True(y.IsLeaf);
            using (Tensor.NoGrad())
            {
                Assert.False(Tensor.IsGradEnabled);
            }

            Assert.False(Tensor.IsGradEnabled);
            using (Tensor.EnableGrad())
            {
                Assert.True(Tensor.IsGradEnabled);
                Assert.True((x * 2.0).RequiresGrad);
                using (Tensor.NoGrad())
                {
                    Assert.False((x + x).RequiresGrad);
                }

                Assert.True(Tensor.IsGradEnabled);
            }

            Assert.False(Tensor.IsGradEnabled);

            // An explicit createGraph request records even inside NoGrad, and leaves the mode as it was.
            var g = Autograd.Grad(cube, [x], createGraph: true)[0]!;
            Assert.True(g.RequiresGrad);
            Close(g, [2], [3, 12]);
            Assert.False(Tensor.IsGradEnabled);
        }

        Assert.True(Tensor.IsGradEnabled);
        Assert.True((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void GradRestoresTheGradModeEvenWhenItThrows()
    {
        var x = Leaf(1);
        using (Tensor.NoGrad())
        {
            Assert.ThrowsAny<ArgumentException>(() => Autograd.Grad(x.Sum(), [x], createGraph: true));
            Assert.False(Tensor.IsGradEnabled);
        }

        var y = (x * x).Sum();
        Assert.Throws<ArgumentException>(() => Autograd.Grad([y], [x], [Tensor.Ones(1)], createGraph: false));
        Assert.True(Tensor.IsGradEnabled);
        Autograd.Grad(y, [x]);
        Assert.True(Tensor.IsGradEnabled);
    }

    [Fact]
    public void DetachStopsGradients()
    {
        var x = Leaf(2, 3);
        var detached = x.Detach();
        Assert.False(detached.RequiresGrad);
        Assert.True(detached.IsLeaf);
        Assert.Equal(x.ToDoubleArray(), detached.ToDoubleArray());
        Close(Autograd.Grad((x * x.Detach()).Sum(), [x])[0]!, [2], [2, 3]);
        Close(Autograd.Grad(((x * 2.0).Detach() * x).Sum(), [x])[0]!, [2], [4, 6]);
        Assert.False(((x * x).Detach() * 3.0).RequiresGrad);
    }

    [Fact]
    public void RequiresGradCanOnlyBeSetOnLeaves()
    {
        var x = Leaf(1);
        var y = x * 2.0;
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
        var error = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Contains("leaf", error.Message, StringComparison.Ordinal);
        Assert.True(y.RequiresGrad);
        x.RequiresGrad = false;
        Assert.False((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void MixedPrecisionGraphsCastGradientsBack()
    {
        var x = Leaf(1, 2);
        var y = (x.AsType(DType.Float32) * Vector32(3f, 4f)).Sum();
        Assert.Equal(DType.Float32, y.DType);
        var g = Autograd.Grad(y, [x])[0]!;
        Assert.Equal(DType.Float64, g.DType);
        Close(g, [2], [3, 4]);
    }

    // ---- threads ----

    private sealed record Mlp(Tensor W1, Tensor B1, Tensor W2, Tensor B2)
    {
        public Tensor[] Parameters => [W1, B1, W2, B2];

        public static Mlp Create()
        {
            var generator = new Generator(100);
            var parameters = new[]
            {
                Tensor.RandomNormal(generator, [8, 4], 0, 0.5, DType.Float64),
                Tensor.RandomNormal(generator, [8], 0, 0.1, DType.Float64),
                Tensor.RandomNormal(generator, [1, 8], 0, 0.5, DType.Float64),
                Tensor.RandomNormal(generator, [1], 0, 0.1, DType.Float64),
            };
            foreach (var p in parameters)
            {
                p.RequiresGrad = true;
            }

            return new Mlp(parameters[0], parameters[1], parameters[2], parameters[3]);
        }

        /// <summary>First-order gradients and a Hessian-vector product of the task loss, as flat arrays.</summary>
        public double[][] Gradients(int task)
        {
            var generator = new Generator((ulong)task);
            var x = Tensor.RandomNormal(generator, [5, 4], dtype: DType.Float64);
            var target = Tensor.RandomNormal(generator, [5, 1], dtype: DType.Float64);
            var hidden = Functional.Linear(x, W1, B1).Tanh();
            var loss = (Functional.Linear(hidden, W2, B2) - target).Square().Mean();
            var grads = Autograd.Grad([loss], Parameters, createGraph: true);
            var norm = grads.Select(g => g!.Square().Sum()).Aggregate((a, b) => a + b);
            var hvp = Autograd.Grad(norm, Parameters);
            return [.. grads.Concat(hvp).Select(g => g!.ToDoubleArray()).Prepend([loss.Item()])];
        }
    }

    [Fact]
    public void IndependentGraphsOnManyThreadsMatchSingleThreadedBitForBit()
    {
        var mlp = Mlp.Create();
        const int Tasks = 200;
        var expected = new double[Tasks][][];
        for (int t = 0; t < Tasks; t++)
        {
            expected[t] = mlp.Gradients(t);
        }

        var actual = new double[Tasks][][];
        Parallel.For(0, Tasks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t => actual[t] = mlp.Gradients(t));

        for (int t = 0; t < Tasks; t++)
        {
            Assert.Equal(expected[t].Length, actual[t].Length);
            for (int i = 0; i < expected[t].Length; i++)
            {
                Assert.True(expected[t][i].AsSpan().SequenceEqual(actual[t][i]), $"task {t}, array {i} differs");
            }
        }

        Assert.All(mlp.Parameters, p => Assert.Null(p.Grad));
    }

    [Fact]
    public void ManyThreadsStartingAtOnceMatch()
    {
        var mlp = Mlp.Create();
        var expected = mlp.Gradients(7);
        const int Threads = 4;
        var results = new double[Threads][][];
        using var barrier = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int repeat = 0; repeat < 20; repeat++)
            {
                results[i] = mlp.Gradients(7);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(results, r => Assert.True(r.Zip(expected).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second))));
    }

    [Fact]
    public void NoGradOnOneThreadDoesNotAffectAnother()
    {
        var x = Leaf(1, 2);
        using var entered = new ManualResetEventSlim();
        using var checkedOther = new ManualResetEventSlim();
        bool stillDisabled = false;
        bool recordedThere = true;
        var other = new Thread(() =>
        {
            using (Tensor.NoGrad())
            {
                entered.Set();
                checkedOther.Wait();
                stillDisabled = !Tensor.IsGradEnabled;
                recordedThere = (x * 2.0).RequiresGrad;
            }
        });
        other.Start();
        entered.Wait();
        Assert.True(Tensor.IsGradEnabled);
        Assert.True((x * 2.0).RequiresGrad);
        checkedOther.Set();
        other.Join();
        Assert.True(stillDisabled);
        Assert.False(recordedThere);

        // A new thread starts with recording on even if this one is in NoGrad.
        bool enabledOnNewThread = false;
        using (Tensor.NoGrad())
        {
            var fresh = new Thread(() => enabledOnNewThread = Tensor.IsGradEnabled);
            fresh.Start();
            fresh.Join();
        }

        Assert.True(enabledOnNewThread);
    }

    // ---- depth ----

    [Fact]
    public void DeepChainDifferentiatesWithoutStackOverflow()
    {
        const int Depth = 10_000;
        double backwardGrad = 0, gradGrad = 0, value = 0;

        // A small stack makes any recursion over the graph fail loudly.
        var worker = new Thread(
            () =>
            {
                var x0 = Leaf(0.5);
                var x = x0;
                for (int i = 0; i < Depth; i++)
                {
                    x = (x * 1.0001) + 0.001;
                }

                var y = x.Sum();
                value = y.Item();
                gradGrad = Autograd.Grad(y, [x0])[0]!.Item();
                y.Backward();
                backwardGrad = x0.Grad!.Item();
            },
            256 * 1024);
        worker.Start();
        worker.Join();

        double slope = Math.Pow(1.0001, Depth);
        double expectedValue = (0.5 * slope) + (0.001 * (slope - 1) / 0.0001);
        Assert.Equal(slope, gradGrad, 1e-9);
        Assert.Equal(slope, backwardGrad, 1e-9);
        Assert.Equal(expectedValue, value, 1e-8);
    }
}
