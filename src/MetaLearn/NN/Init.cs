using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// Weight initializers with PyTorch's formulas, drawn from a seeded <see cref="Generator"/>: the same seed and the same
/// sequence of calls give bit-identical tensors on every machine.
/// </summary>
/// <remarks>
/// Fans follow PyTorch: for a shape [out, in, k₁, k₂, ...] the receptive field is r = k₁·k₂·…, fan_in = in·r and
/// fan_out = out·r. Every initializer returns a new leaf tensor; use <see cref="Assign"/> to write one into an existing
/// parameter. Elements are drawn in row-major order, one generator call per element (two normals per polar-method call).
/// </remarks>
public static class Init
{
    /// <summary>
    /// The gain that keeps activations at unit variance through <paramref name="nonlinearity"/> (PyTorch's <c>calculate_gain</c>):
    /// 1 for linear and sigmoid, 5/3 for tanh, √2 for ReLU, √(2/(1+a²)) for leaky ReLU with slope a.
    /// </summary>
    /// <param name="nonlinearity">The function that follows the layer.</param>
    /// <param name="negativeSlope">The leaky-ReLU slope a (ignored otherwise).</param>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Tanh => 5.0 / 3.0,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + (negativeSlope * negativeSlope))),
        _ => 1.0,
    };

    /// <summary>fan_in and fan_out of a weight of <paramref name="shape"/> (rank ≥ 2: [out, in, kernel...]).</summary>
    /// <exception cref="ArgumentException">The shape has rank below 2 or a zero dimension.</exception>
    public static (int FanIn, int FanOut) Fans(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException($"Fans: a weight needs at least 2 dimensions, got {Shapes.Format(shape)}.", nameof(shape));
        }

        int receptive = 1;
        for (int i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }

        int fanIn = shape[1] * receptive;
        int fanOut = shape[0] * receptive;
        if (fanIn <= 0 || fanOut <= 0)
        {
            throw new ArgumentException($"Fans: the shape {Shapes.Format(shape)} has an empty dimension.", nameof(shape));
        }

        return (fanIn, fanOut);
    }

    /// <summary>
    /// He et al. (2015) uniform: U(−b, b) with b = gain·√(3 / fan), so Var = gain²/fan. The defaults (fan-in, leaky ReLU with
    /// slope 0, i.e. gain √2) are PyTorch's <c>kaiming_uniform_</c> defaults.
    /// </summary>
    /// <param name="generator">The random source.</param>
    /// <param name="shape">The weight shape [out, in, kernel...].</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The nonlinearity after the layer (sets the gain).</param>
    /// <param name="negativeSlope">Leaky-ReLU slope for the gain.</param>
    /// <param name="dtype">Element type.</param>
    public static Tensor KaimingUniform(Generator generator, ReadOnlySpan<int> shape, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, double negativeSlope = 0, DType dtype = DType.Float32)
    {
        double bound = Gain(nonlinearity, negativeSlope) * Math.Sqrt(3.0 / Fan(shape, mode));
        return Tensor.RandomUniform(generator, shape, -bound, bound, dtype);
    }

    /// <summary>He et al. (2015) normal: N(0, σ²) with σ = gain / √fan (PyTorch's <c>kaiming_normal_</c>); √(2/fan_in) for ReLU.</summary>
    /// <param name="generator">The random source.</param>
    /// <param name="shape">The weight shape [out, in, kernel...].</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The nonlinearity after the layer (sets the gain).</param>
    /// <param name="negativeSlope">Leaky-ReLU slope for the gain.</param>
    /// <param name="dtype">Element type.</param>
    public static Tensor KaimingNormal(Generator generator, ReadOnlySpan<int> shape, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, double negativeSlope = 0, DType dtype = DType.Float32)
    {
        double std = Gain(nonlinearity, negativeSlope) / Math.Sqrt(Fan(shape, mode));
        return Tensor.RandomNormal(generator, shape, 0, std, dtype);
    }

    /// <summary>Glorot &amp; Bengio (2010) uniform: U(−b, b) with b = gain·√(6 / (fan_in + fan_out)).</summary>
    /// <param name="generator">The random source.</param>
    /// <param name="shape">The weight shape [out, in, kernel...].</param>
    /// <param name="gain">Scale factor (see <see cref="Gain"/>).</param>
    /// <param name="dtype">Element type.</param>
    public static Tensor XavierUniform(Generator generator, ReadOnlySpan<int> shape, double gain = 1.0, DType dtype = DType.Float32)
    {
        var (fanIn, fanOut) = Fans(shape);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Tensor.RandomUniform(generator, shape, -bound, bound, dtype);
    }

    /// <summary>Glorot &amp; Bengio (2010) normal: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).</summary>
    /// <param name="generator">The random source.</param>
    /// <param name="shape">The weight shape [out, in, kernel...].</param>
    /// <param name="gain">Scale factor (see <see cref="Gain"/>).</param>
    /// <param name="dtype">Element type.</param>
    public static Tensor XavierNormal(Generator generator, ReadOnlySpan<int> shape, double gain = 1.0, DType dtype = DType.Float32)
    {
        var (fanIn, fanOut) = Fans(shape);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Tensor.RandomNormal(generator, shape, 0, std, dtype);
    }

    /// <summary>
    /// PyTorch's default weight initialization of <c>nn.Linear</c> and <c>nn.Conv2d</c>: <c>kaiming_uniform_(a=√5)</c>, whose gain
    /// √(2/(1+5)) = 1/√3 makes the bound gain·√(3/fan_in) = 1/√fan_in, i.e. U(−1/√fan_in, 1/√fan_in).
    /// </summary>
    /// <param name="generator">The random source.</param>
    /// <param name="shape">The weight shape [out, in, kernel...].</param>
    /// <param name="dtype">Element type.</param>
    public static Tensor DefaultWeight(Generator generator, ReadOnlySpan<int> shape, DType dtype = DType.Float32)
    {
        double bound = 1.0 / Math.Sqrt(Fans(shape).FanIn);
        return Tensor.RandomUniform(generator, shape, -bound, bound, dtype);
    }

    /// <summary>PyTorch's default bias initialization of <c>nn.Linear</c> and <c>nn.Conv2d</c>: U(−1/√fan_in, 1/√fan_in) of the weight's fan_in.</summary>
    /// <param name="generator">The random source.</param>
    /// <param name="fanIn">The weight's fan_in (in_features, or in_channels·k·k).</param>
    /// <param name="length">The number of outputs.</param>
    /// <param name="dtype">Element type.</param>
    public static Tensor DefaultBias(Generator generator, int fanIn, int length, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        double bound = 1.0 / Math.Sqrt(fanIn);
        return Tensor.RandomUniform(generator, [length], -bound, bound, dtype);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> in place, outside the graph (converting the element
    /// type if needed), e.g. to re-initialize a module's parameter: <c>Init.Assign(p, Init.XavierUniform(g, p.Shape.AsSpan()))</c>.
    /// </summary>
    /// <remarks>Graphs already recorded with the old values are not updated; do not call it while such a graph is still in use.</remarks>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void Assign(Tensor destination, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        if (!destination.Shape.SequenceEqual(source.Shape))
        {
            throw new ArgumentException($"Assign: source {Shapes.Format(source.Shape.AsSpan())} does not match destination "
                + $"{Shapes.Format(destination.Shape.AsSpan())}.", nameof(source));
        }

        using var scope = Tensor.NoGrad();
        if (destination.DType == DType.Float32)
        {
            source.CopyTo(destination.AsSpan<float>());
        }
        else
        {
            source.ToDoubleArray().CopyTo(destination.AsSpan<double>());
        }
    }

    private static int Fan(ReadOnlySpan<int> shape, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(shape);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
