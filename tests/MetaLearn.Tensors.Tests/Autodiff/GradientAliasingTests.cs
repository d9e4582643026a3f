using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>
/// A gradient tensor reached by two paths (add hands its gradient to both inputs; a same-shape reshape returns it as it is)
/// must never be accumulated into in place: every path of the engine gives the same, right answer on these graphs.
/// </summary>
public class GradientAliasingTests
{
    private static Tensor Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>d/dx of <paramref name="build"/>(x) by every first-order path: Grad with and without a graph, Backward with and without.</summary>
    private static double[][] EveryPath(Func<Tensor, Tensor> build, double[] at)
    {
        var results = new List<double[]>();
        foreach (bool createGraph in new[] { false, true })
        {
            var x = Leaf(at);
            results.Add(Autograd.Grad(build(x), [x], createGraph: createGraph)[0]!.ToDoubleArray());

            var leaf = Leaf(at);
            build(leaf).Backward(createGraph: createGraph);
            results.Add(leaf.Grad!.ToDoubleArray());
        }

        return [.. results];
    }

    private static void AllEqual(double[] expected, double[][] paths)
    {
        for (int p = 0; p < paths.Length; p++)
        {
            Assert.Equal(expected.Length, paths[p].Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - paths[p][i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"path {p}, element {i}: expected {expected[i]}, got {paths[p][i]}");
            }
        }
    }

    [Fact]
    public void IssueReproGivesElevenOnEveryPath()
    {
        // a = x, b = 2x, c = 5a, t = a + b = 3x, y = 2t + c = 11x.
        static Tensor Program(Tensor x)
        {
            var a = x * 1.0;
            var b = x * 2.0;
            var c = a * 5.0;
            var t = a + b;
            return ((t * 1.0) + (t * 1.0) + c).Sum();
        }

        AllEqual([11], EveryPath(Program, [1]));
    }

    [Fact]
    public void SharedAddGradientDoesNotLeakIntoTheOtherInput()
    {
        // a = 2·x0, b = x0 + x1, y = 2·Σb + Σa: dy/dx0 = 4, dy/dx1 = 2.
        foreach (bool createGraph in new[] { false, true })
        {
            var x0 = Leaf(1);
            var x1 = Leaf(1);
            var a = x0 * 2.0;
            var b = x0 + x1;
            var y = b.Sum() + b.Sum() + a.Sum();
            var grads = Autograd.Grad(y, [x0, x1], createGraph: createGraph);
            Close(grads[0]!, [1], [4]);
            Close(grads[1]!, [1], [2]);
        }
    }

    [Fact]
    public void ValueReusedAfterAnAdd()
    {
        // a = 2x, b = x + a = 3x, y = 2·Σb = 6x.
        AllEqual([6], EveryPath(x => { var a = x + x; var b = x + a; return b.Sum() + b.Sum(); }, [1]));
    }

    public static TheoryData<string> PassThroughOps => new() { "add", "subtract", "scalar add", "reshape" };

    /// <summary>Each op whose backward hands its gradient (or a view of it) on unchanged.</summary>
    private static Tensor PassThrough(string op, Tensor x) => op switch
    {
        "add" => x + Tensor.Zeros([2], DType.Float64),
        "subtract" => x - Tensor.Zeros([2], DType.Float64),
        "scalar add" => x + 1.0,
        _ => x.Reshape(2, 1),
    };

    [Theory]
    [MemberData(nameof(PassThroughOps))]
    public void PassThroughGradientReturnedForAnIntermediateIsNotAddedInto(string op)
    {
        // m = 5x is created before u = op(x), so x's gradient from u arrives first and m's is added to it afterwards.
        foreach (bool createGraph in new[] { false, true })
        {
            var x = Leaf(1, 2);
            var m = x * 5.0;
            var u = PassThrough(op, x);
            var y = u.Sum() + u.Sum() + m.Sum();
            var grads = Autograd.Grad(y, [u, x], createGraph: createGraph);
            Assert.Equal([2.0, 2.0], grads[0]!.ToDoubleArray());
            Close(grads[1]!, [2], [7, 7]);
        }
    }

    [Theory]
    [MemberData(nameof(PassThroughOps))]
    public void PassThroughGradientOfAValueUsedAgain(string op)
    {
        // u = op(x) used twice and added to x again: y = 2·Σu + 3·Σ(u + x) = 8x (+ constants) elementwise.
        AllEqual([8, 8], EveryPath(x => { var u = PassThrough(op, x).Reshape(2); var t = u + x; return u.Sum() + u.Sum() + t.Sum() + t.Sum() + t.Sum(); }, [1, 2]));
    }

    [Fact]
    public void GradientWithRespectToAnIntermediateThatIsReused()
    {
        // a = x + x, y = Σa + Σa: dy/da = 2, dy/dx = 4.
        foreach (bool createGraph in new[] { false, true })
        {
            var x = Leaf(1);
            var a = x + x;
            var y = a.Sum() + a.Sum();
            var grads = Autograd.Grad(y, [x, a], createGraph: createGraph);
            Close(grads[0]!, [1], [4]);
            Close(grads[1]!, [1], [2]);

            var reversed = Autograd.Grad(a.Sum() + a.Sum(), [a, x], createGraph: createGraph);
            Close(reversed[0]!, [1], [2]);
            Close(reversed[1]!, [1], [4]);
        }
    }

    [Fact]
    public void SecondOrderOuterPassWithoutAGraph()
    {
        // a = 2x, b = 2a = 4x, y = Σ(a·b) = Σ 8x²: ∇y = 16x, so the Hessian-vector product is 16v.
        double[] v = [0.3, -0.7, 1.1];
        foreach (bool outerGraph in new[] { false, true })
        {
            var x = Leaf(1, -2, 0.5);
            var a = x + x;
            var b = a + a;
            var y = (a * b).Sum();
            var gradient = Autograd.Grad(y, [x], createGraph: true)[0]!;
            Close(gradient, [3], [16, -32, 8]);
            var hvp = Autograd.Grad((gradient * Vector(v)).Sum(), [x], createGraph: outerGraph)[0]!;
            Close(hvp, [3], [16 * v[0], 16 * v[1], 16 * v[2]]);
        }
    }

    [Fact]
    public void ReturnedGradientsAreNotChangedByALaterPass()
    {
        // The gradient handed to the caller for an intermediate must not be reused as a running sum afterwards.
        var x = Leaf(1, 2);
        var a = x * 3.0;
        var y = (a + a).Sum() + a.Sum();
        var grads = Autograd.Grad(y, [a, x]);
        var copy = grads[0]!.ToDoubleArray();
        Close(grads[1]!, [2], [9, 9]);
        Assert.Equal(copy, grads[0]!.ToDoubleArray());
        Close(grads[0]!, [2], [3, 3]);
    }

    [Fact]
    public void CallerSeedIsNeverWrittenTo()
    {
        var x = Leaf(1, 2);
        var t = x + x;
        var seed = Vector(1, 1);
        var y = t + t;
        var grad = Autograd.Grad([y, t], [x], [seed, seed])[0]!;
        Close(grad, [2], [6, 6]);
        Assert.Equal(new double[] { 1, 1 }, seed.ToDoubleArray());
    }

    [Fact]
    public void ResultsNeverShareAStorage()
    {
        // add hands one gradient to both inputs; the same input may be listed twice; the seed may come straight back.
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        var seed = Vector(1, 1);
        var y = a + b;
        var grads = Autograd.Grad([y], [a, b, a, y], [seed]);
        var storages = grads.Select(g => g!.Storage).Append(seed.Storage).ToArray();
        Assert.Equal(storages.Length, storages.Distinct(ReferenceEqualityComparer.Instance).Count());

        a.Grad = null;
        b.Grad = null;
        y.Backward(seed);
        Assert.NotSame(a.Grad!.Storage, b.Grad!.Storage);
    }
}
