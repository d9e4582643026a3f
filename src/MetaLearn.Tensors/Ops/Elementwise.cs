using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// The elementwise primitives. Each is a SIMD kernel forward (<see cref="Kernels.Unary"/>, <see cref="Broadcasting"/>) and
/// one line in a table of vector-Jacobian products below, written with these same ops, so every rule is differentiable
/// again (second and higher orders need no extra code). Broadcasting is undone by the engine, not here.
/// </summary>
/// <remarks>
/// In the unary rules x is the input, y the output, g the output's gradient and c the op's constant; in the binary rules
/// a and b are the inputs. Masks of piecewise-constant derivatives (ReLU's slope, |x|'s sign, which input a maximum chose)
/// are computed as constants, so their derivative is 0 in every order.
/// </remarks>
internal static class Elementwise
{
    private delegate Tensor? UnaryRule(Tensor x, Tensor y, Tensor g, double c);

    private delegate (Tensor? A, Tensor? B) BinaryRule(Tensor a, Tensor b, Tensor g, bool needA, bool needB);

    private static readonly Dictionary<UnaryKind, (string Name, UnaryRule Rule)> UnaryRules = new()
    {
        [UnaryKind.Exp] = ("exp", (x, y, g, c) => Multiply(g, y)),
        [UnaryKind.Log] = ("log", (x, y, g, c) => Divide(g, x)),
        [UnaryKind.Sqrt] = ("sqrt", (x, y, g, c) => Divide(MultiplyScalar(g, 0.5), y)),
        [UnaryKind.Abs] = ("abs", (x, y, g, c) => Multiply(g, OpHelper.Constant(UnaryKind.Sign, x))),
        [UnaryKind.Tanh] = ("tanh", (x, y, g, c) => Multiply(g, AddScalar(MultiplyScalar(Multiply(y, y), -1), 1))),
        [UnaryKind.Sigmoid] = ("sigmoid", (x, y, g, c) => Multiply(g, Multiply(y, AddScalar(MultiplyScalar(y, -1), 1)))),
        [UnaryKind.Relu] = ("relu", (x, y, g, c) => ReluGradient.Apply(g, x, 0)),
        [UnaryKind.LeakyRelu] = ("leaky_relu", (x, y, g, c) => ReluGradient.Apply(g, x, c)),
        [UnaryKind.AddScalar] = ("add_scalar", (x, y, g, c) => g),
        [UnaryKind.MultiplyScalar] = ("mul_scalar", (x, y, g, c) => MultiplyScalar(g, c)),
        [UnaryKind.PowScalar] = ("pow_scalar", (x, y, g, c) => c == 0 ? null : Multiply(g, MultiplyScalar(Power(x, c - 1), c))),
    };

    private static readonly Dictionary<BinaryKind, (string Name, BinaryRule Rule)> BinaryRules = new()
    {
        [BinaryKind.Add] = ("add", (a, b, g, needA, needB) => (g, g)),
        [BinaryKind.Subtract] = ("sub", (a, b, g, needA, needB) => (g, needB ? MultiplyScalar(g, -1) : null)),
        [BinaryKind.Multiply] = ("mul", (a, b, g, needA, needB) => (needA ? Multiply(g, b) : null, needB ? Multiply(g, a) : null)),

        [BinaryKind.Divide] = ("div", DivideRule),
        [BinaryKind.Maximum] = ("maximum", (a, b, g, needA, needB) => Chosen(g, () => Subtract(a, b), needA, needB)),
        [BinaryKind.Minimum] = ("minimum", (a, b, g, needA, needB) => Chosen(g, () => Subtract(b, a), needA, needB)),
    };

    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryKind.Add, a, b);

    public static Tensor Subtract(Tensor a, Tensor b) => Binary(BinaryKind.Subtract, a, b);

    public static Tensor Multiply(Tensor a, Tensor b) => Binary(BinaryKind.Multiply, a, b);

    public static Tensor Divide(Tensor a, Tensor b) => Binary(BinaryKind.Divide, a, b);

    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryKind.Maximum, a, b);

    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryKind.Minimum, a, b);

    public static Tensor Exp(Tensor x) => Unary(UnaryKind.Exp, x);

    public static Tensor Log(Tensor x) => Unary(UnaryKind.Log, x);

    public static Tensor Sqrt(Tensor x) => Unary(UnaryKind.Sqrt, x);

    public static Tensor Abs(Tensor x) => Unary(UnaryKind.Abs, x);

    public static Tensor Tanh(Tensor x) => Unary(UnaryKind.Tanh, x);

    public static Tensor Sigmoid(Tensor x) => Unary(UnaryKind.Sigmoid, x);

    /// <summary>max(x, 0), or the leaky form slope·x below 0.</summary>
    public static Tensor Relu(Tensor x, double slope = 0) => slope == 0 ? Unary(UnaryKind.Relu, x) : Unary(UnaryKind.LeakyRelu, x, slope);

    public static Tensor AddScalar(Tensor x, double c) => Unary(UnaryKind.AddScalar, x, c);

    public static Tensor MultiplyScalar(Tensor x, double c) => Unary(UnaryKind.MultiplyScalar, x, c);

    public static Tensor Power(Tensor x, double p) => Unary(UnaryKind.PowScalar, x, p);

    /// <summary>The unary primitive <paramref name="kind"/> (with constant <paramref name="c"/>), recorded when grad mode asks.</summary>
    public static Tensor Unary(UnaryKind kind, Tensor x, double c = 0)
    {
        var y = OpHelper.Unary(kind, x, c);
        return GradMode.ShouldRecord(x) ? y.WithNode(new UnaryNode(kind, x, c)) : y;
    }

    /// <summary>The broadcasting binary primitive <paramref name="kind"/>, recorded when grad mode asks.</summary>
    public static Tensor Binary(BinaryKind kind, Tensor a, Tensor b)
    {
        var y = OpHelper.Binary(BinaryRules[kind].Name, kind, a, b);
        return GradMode.ShouldRecord(a, b) ? y.WithNode(new BinaryNode(kind, a, b)) : y;
    }

    /// <summary>d(a/b)/da = g/b; d(a/b)/db = −a/b², written −(g/b)·(a/b) so it stays a function of the inputs for higher orders.</summary>
    private static (Tensor?, Tensor?) DivideRule(Tensor a, Tensor b, Tensor g, bool needA, bool needB)
    {
        var gOverB = Divide(g, b);
        return (needA ? gOverB : null, needB ? MultiplyScalar(Multiply(gOverB, Divide(a, b)), -1) : null);
    }

    /// <summary>g routed to a where <paramref name="aMargin"/> (how far a wins) is ≥ 0, ties included, and to b elsewhere.</summary>
    private static (Tensor?, Tensor?) Chosen(Tensor g, Func<Tensor> aMargin, bool needA, bool needB)
    {
        Tensor chosenA, chosenB;
        using (Tensor.NoGrad())
        {
            chosenA = OpHelper.Constant(UnaryKind.NonNegative, aMargin());
            chosenB = AddScalar(MultiplyScalar(chosenA, -1), 1);
        }

        return (needA ? Multiply(g, chosenA) : null, needB ? Multiply(g, chosenB) : null);
    }

    private sealed class UnaryNode(UnaryKind kind, Tensor x, double c) : Node(UnaryRules[kind].Name, [x])
    {
        public override void Backward(Tensor output, Tensor g, Tensor?[] grads) => grads[0] = UnaryRules[kind].Rule(Inputs[0], output, g, c);
    }

    private sealed class BinaryNode(BinaryKind kind, Tensor a, Tensor b) : Node(BinaryRules[kind].Name, [a, b])
    {
        public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
            => (grads[0], grads[1]) = BinaryRules[kind].Rule(Inputs[0], Inputs[1], g, Needs(0), Needs(1));
    }
}
