using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// Runs and records the elementwise primitives. Each primitive is one struct in <see cref="UnaryOps"/> or <see cref="BinaryOps"/>
/// holding its name, its forward over spans and its vector-Jacobian product; the generic dispatch here is specialized by the JIT
/// per struct, so there is no switch and no table. Below are the shorthands the rules of other ops are written with.
/// </summary>
internal static class Elementwise
{
    public static Tensor Add(Tensor a, Tensor b) => Binary<BinaryOps.Add>(a, b);

    public static Tensor Subtract(Tensor a, Tensor b) => Binary<BinaryOps.Subtract>(a, b);

    public static Tensor Multiply(Tensor a, Tensor b) => Binary<BinaryOps.Multiply>(a, b);

    public static Tensor Divide(Tensor a, Tensor b) => Binary<BinaryOps.Divide>(a, b);

    /// <summary>max(x, 0), or the leaky form slope·x below 0.</summary>
    public static Tensor Relu(Tensor x, double slope = 0) => slope == 0 ? Unary<UnaryOps.Relu>(x) : Unary<UnaryOps.LeakyRelu>(x, slope);

    public static Tensor AddScalar(Tensor x, double c) => Unary<UnaryOps.AddScalar>(x, c);

    public static Tensor MultiplyScalar(Tensor x, double c) => Unary<UnaryOps.MultiplyScalar>(x, c);

    public static Tensor Power(Tensor x, double p) => Unary<UnaryOps.PowScalar>(x, p);

    /// <summary>The unary primitive <typeparamref name="TOp"/> (with constant <paramref name="c"/>), recorded when grad mode asks.</summary>
    public static Tensor Unary<TOp>(Tensor x, double c = 0)
        where TOp : struct, IUnaryOp
    {
        var y = OpHelper.Unary<TOp>(x, c);
        return GradMode.ShouldRecord(x) ? y.WithNode(new UnaryNode<TOp>(x, c)) : y;
    }

    /// <summary>The broadcasting binary primitive <typeparamref name="TOp"/>, recorded when grad mode asks.</summary>
    public static Tensor Binary<TOp>(Tensor a, Tensor b)
        where TOp : struct, IBinaryOp
    {
        var y = OpHelper.Binary<TOp>(a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new BinaryNode<TOp>(a, b)) : y;
    }

    private sealed class UnaryNode<TOp>(Tensor x, double c) : Node(TOp.Name, [x])
        where TOp : struct, IUnaryOp
    {
        public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = TOp.Backward(Inputs[0], output, g, c);
    }

    private sealed class BinaryNode<TOp>(Tensor a, Tensor b) : Node(TOp.Name, [a, b])
        where TOp : struct, IBinaryOp
    {
        public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
            => (grads[0], grads[1]) = TOp.Backward(Inputs[0], Inputs[1], g, Needs(0), Needs(1));
    }
}
