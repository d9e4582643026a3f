using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests.Autodiff;

/// <summary>Which backward rules a gradient with respect to chosen inputs runs.</summary>
public class GradientWalkTests
{
    /// <summary>y = 2x, counting how often its backward rule runs.</summary>
    private sealed class CountedDouble(Tensor x) : Node("counted_double", [x])
    {
        public int Calls { get; private set; }

        public static (Tensor Output, CountedDouble Node) Apply(Tensor x)
        {
            Tensor y;
            using (Tensor.NoGrad())
            {
                y = x * 2.0;
            }

            var node = new CountedDouble(x);
            return (y.WithNode(node), node);
        }

        public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
        {
            Calls++;
            grads[0] = g * 2.0;
        }
    }

    [Fact]
    public void ARuleWhoseInputsAreAllOlderThanTheRequestedInputsIsNotRun()
    {
        // An inner step's gradient with respect to the weights made by the previous step's update (or handed out by a
        // checkpoint) needs nothing from the rule that made them.
        var x = Tensor.FromArray(new double[] { 1, -2 });
        x.RequiresGrad = true;
        var (y, node) = CountedDouble.Apply(x);
        var z = (y * y).Sum();

        Close(Autograd.Grad(z, [y])[0]!, [2], [4, -8]);
        Assert.Equal(0, node.Calls);

        var both = Autograd.Grad(z, [x, y]);
        Close(both[0]!, [2], [8, -16]);
        Close(both[1]!, [2], [4, -8]);
        Assert.Equal(1, node.Calls);
    }
}
