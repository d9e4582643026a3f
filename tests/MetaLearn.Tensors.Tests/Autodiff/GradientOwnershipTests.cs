using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>
/// The audit of issue 9 beyond pass-through rules: a gradient buffer may be written in place only while the engine owns it,
/// also after the allocation scope's pool has handed the buffer out again, and results of a recorded pass never share a
/// tensor either.
/// </summary>
public class GradientOwnershipTests
{
    private static Tensor Leaf(ulong seed, int count)
    {
        var t = Tensor.RandomUniform(new Generator(seed), [count], -1, 1, DType.Float64);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void RecycledBufferIsNotAddedIntoWhenTheEngineHandsItOutAgain()
    {
        // w needs a gradient but is not asked for: its summed gradient goes back to the pool when w is popped, and the very
        // next buffer rented (the copy SharedGradientAdd hands to both p and q) is that one. When the engine still took it
        // for a sum of its own, r's contribution to p was added into it in place, and so into q's gradient too.
        const int count = 1031; // an unusual size, so that no other test takes the recycled buffer from the shared pool first
        using var scope = AllocationScope.Begin();
        var x = Leaf(1, count);
        var q = x * 5.0;
        var p = x * 3.0;
        var r = p * 7.0;
        var s = SharedGradientAdd.Apply(p, q);
        var w = Leaf(2, count);
        var y = (s * w).Sum() + (s * w).Sum() + r.Sum();

        // y = 2·Σ w·(3x + 5x) + 21·Σ x, so dy/dx = 16w + 21.
        var dx = Autograd.Grad(y, [x])[0]!.ToDoubleArray();
        var weights = w.ToDoubleArray();
        for (int i = 0; i < count; i++)
        {
            Assert.Equal((16 * weights[i]) + 21, dx[i], 9);
        }
    }

    [Fact]
    public void SharedRuleResultIsNotAddedIntoWithoutAScopeEither()
    {
        var x = Leaf(3, 4);
        var q = x * 5.0;
        var p = x * 3.0;
        var r = p * 7.0;
        var s = SharedGradientAdd.Apply(p, q);
        var y = s.Sum() + s.Sum() + r.Sum();
        foreach (bool createGraph in new[] { false, true })
        {
            var dx = Autograd.Grad(y, [x], createGraph: createGraph)[0]!.ToDoubleArray();
            Assert.All(dx, d => Assert.Equal(37, d, 12));
        }
    }

    [Fact]
    public void RecordedResultsNeverShareAStorage()
    {
        // add hands one gradient to both inputs, the same input may be listed twice and the seed may come straight back: with
        // createGraph too, each result is a tensor of its own (a recorded copy where needed), so that a caller who changes
        // one in place (gradient clipping) cannot change another, and each stays differentiable.
        var a = Leaf(4, 2);
        var b = Leaf(5, 2);
        var seed = Tensor.FromArray(new double[] { 1, 1 });
        var y = (a + b) * 1.0;
        var grads = Autograd.Grad([y], [a, b, a, y], [seed], createGraph: true);
        var storages = grads.Select(g => g!.Storage).Append(seed.Storage).ToArray();
        Assert.Equal(storages.Length, storages.Distinct(ReferenceEqualityComparer.Instance).Count());

        a.Grad = null;
        b.Grad = null;
        y.Backward(seed, createGraph: true);
        Assert.NotSame(a.Grad!.Storage, b.Grad!.Storage);
        Assert.NotSame(seed.Storage, a.Grad.Storage);
        a.Grad.F64[0] = 10;
        Assert.Equal([1.0, 1.0], b.Grad.ToDoubleArray());
        Assert.Equal([1.0, 1.0], seed.ToDoubleArray());
    }

    [Fact]
    public void RecordedCopiesStayDifferentiable()
    {
        // z = a·b + b: dz/da = b, dz/db = a + 1, both of a + b's shared gradient; their second derivatives go through the copy.
        var a = Leaf(6, 3);
        var b = Leaf(7, 3);
        var z = (a * b) + b;
        var grads = Autograd.Grad(z.Sum(), [a, b, b], createGraph: true);
        var second = Autograd.Grad((grads[0]! + grads[1]! + grads[2]!).Sum(), [a, b]);
        Assert.All(second[0]!.ToDoubleArray(), d => Assert.Equal(2, d, 12));
        Assert.All(second[1]!.ToDoubleArray(), d => Assert.Equal(1, d, 12));
    }
}
