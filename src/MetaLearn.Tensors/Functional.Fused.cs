using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors;

/// <content>Single nodes for two compositions the training loops run on every step, each bit-identical to its composition.</content>
public static partial class Functional
{
    /// <summary>
    /// <paramref name="a"/> + <paramref name="scale"/>·<paramref name="b"/> for two tensors of one shape, as one node: a
    /// gradient-descent step θ − α·g without the intermediate α·g. Bit-identical to <c>a + (b * scale)</c>, differentiable
    /// to any order.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public static Tensor AddScaled(Tensor a, Tensor b, double scale) => Ops.AddScaled.Apply(a, b, scale);

    /// <summary>
    /// mean((<paramref name="prediction"/> − <paramref name="target"/>)²) over all elements of two tensors of one shape, as
    /// one node. Bit-identical to <c>(prediction - target).Square().Mean()</c>, differentiable to any order.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or dtypes differ, or the tensors are empty.</exception>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target) => Ops.MeanSquaredError.Apply(prediction, target);
}
