using MetaLearn.Tensors.Internal;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Elementwise.Add(a, b);

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(Tensor a, double b) => Elementwise.AddScalar(a, b);

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(double a, Tensor b) => Elementwise.AddScalar(b, a);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Elementwise.Subtract(a, b);

    /// <summary>Subtracts a constant from every element.</summary>
    public static Tensor operator -(Tensor a, double b) => Elementwise.AddScalar(a, -b);

    /// <summary>A constant minus every element.</summary>
    public static Tensor operator -(double a, Tensor b) => Elementwise.AddScalar(Elementwise.MultiplyScalar(b, -1), a);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Elementwise.MultiplyScalar(a, -1);

    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Elementwise.Multiply(a, b);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(Tensor a, double b) => Elementwise.MultiplyScalar(a, b);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(double a, Tensor b) => Elementwise.MultiplyScalar(b, a);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Elementwise.Divide(a, b);

    /// <summary>Divides every element by a constant.</summary>
    public static Tensor operator /(Tensor a, double b) => Elementwise.MultiplyScalar(a, 1.0 / b);

    /// <summary>A constant divided by every element.</summary>
    public static Tensor operator /(double a, Tensor b) => Elementwise.MultiplyScalar(Elementwise.Power(b, -1), a);

    /// <summary>Elementwise sum with broadcasting.</summary>
    public Tensor Add(Tensor other) => this + other;

    /// <summary>Elementwise difference with broadcasting.</summary>
    public Tensor Subtract(Tensor other) => this - other;

    /// <summary>Elementwise product with broadcasting.</summary>
    public Tensor Multiply(Tensor other) => this * other;

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public Tensor Divide(Tensor other) => this / other;

    /// <summary>Negation.</summary>
    public Tensor Negate() => -this;

    /// <summary>Raises every element to a constant power.</summary>
    public Tensor Pow(double exponent) => Elementwise.Power(this, exponent);

    /// <summary>Elementwise power a^b = exp(b·ln a), for positive bases.</summary>
    public Tensor Pow(Tensor exponent) => (exponent * Log()).Exp();

    /// <summary>The square of every element.</summary>
    public Tensor Square() => Elementwise.Power(this, 2);

    /// <summary>e raised to every element.</summary>
    public Tensor Exp() => Elementwise.Unary<UnaryOps.Exp>(this);

    /// <summary>The natural logarithm of every element.</summary>
    public Tensor Log() => Elementwise.Unary<UnaryOps.Log>(this);

    /// <summary>The square root of every element.</summary>
    public Tensor Sqrt() => Elementwise.Unary<UnaryOps.Sqrt>(this);

    /// <summary>The absolute value of every element (derivative 0 at 0).</summary>
    public Tensor Abs() => Elementwise.Unary<UnaryOps.Abs>(this);

    /// <summary>The hyperbolic tangent of every element.</summary>
    public Tensor Tanh() => Elementwise.Unary<UnaryOps.Tanh>(this);

    /// <summary>The logistic sigmoid 1/(1+e^−x) of every element.</summary>
    public Tensor Sigmoid() => Elementwise.Unary<UnaryOps.Sigmoid>(this);

    /// <summary>max(x, 0) elementwise.</summary>
    public Tensor Relu() => Elementwise.Relu(this);

    /// <summary>x where x &gt; 0, else <paramref name="slope"/>·x.</summary>
    public Tensor LeakyRelu(double slope = 0.01) => Elementwise.Relu(this, slope);

    /// <summary>
    /// Softplus as in PyTorch: ln(1 + e^(βx))/β, and x itself where βx exceeds <paramref name="threshold"/> (the linear region).
    /// </summary>
    /// <remarks>
    /// Computed without overflow as ((z + |z|)/2 + ln(1 + e^−|z|))/β with z = βx: the first term is max(z, 0) written so that
    /// its slope at 0 is ½, which makes the derivative at 0 the exact σ(0) = ½.
    /// </remarks>
    /// <param name="beta">β &gt; 0, the sharpness (1 by default).</param>
    /// <param name="threshold">Above βx = threshold the result is x (20 by default, PyTorch's).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite and positive, or <paramref name="threshold"/> is NaN.</exception>
    public Tensor Softplus(double beta = 1, double threshold = 20)
    {
        if (!(beta > 0) || double.IsInfinity(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"Softplus: beta must be finite and positive (input {Shapes.Format(_shape)}).");
        }

        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"Softplus: threshold is NaN (input {Shapes.Format(_shape)}).");
        }

        var z = beta == 1 ? this : this * beta;
        var magnitude = z.Abs();
        var smooth = ((z + magnitude) * 0.5) + ((-magnitude).Exp() + 1).Log();
        if (beta != 1)
        {
            smooth *= 1 / beta;
        }

        return double.IsPositiveInfinity(threshold) ? smooth : Where(z.GreaterThan(Scalar(threshold, DType)), this, smooth);
    }

    /// <summary>ELU (Clevert et al., 2016): x where x &gt; 0, α·(e^x − 1) elsewhere, written as relu(x) + α·(e^min(x, 0) − 1).</summary>
    /// <param name="alpha">α, the value approached as x → −∞ is −α (1 by default).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public Tensor Elu(double alpha = 1)
    {
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"Elu: alpha must be finite (input {Shapes.Format(_shape)}).");
        }

        // At 0 the minimum passes its gradient to x, so the slope there is α, as in PyTorch (whose rule uses x ≤ 0).
        return Relu() + (alpha * (Minimum(Scalar(0, DType)).Exp() - 1));
    }

    /// <summary>Elementwise maximum with broadcasting (ties send the gradient to this tensor).</summary>
    public Tensor Maximum(Tensor other) => Elementwise.Binary<BinaryOps.Maximum>(this, other);

    /// <summary>Elementwise minimum with broadcasting (ties send the gradient to this tensor).</summary>
    public Tensor Minimum(Tensor other) => Elementwise.Binary<BinaryOps.Minimum>(this, other);

    /// <summary>Limits every element to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Tensor Clamp(double min, double max)
    {
        if (!(min <= max))
        {
            throw new ArgumentException($"Clamp: min {min} exceeds max {max}.", nameof(min));
        }

        return Maximum(Scalar(min, DType)).Minimum(Scalar(max, DType));
    }

    /// <summary>Picks <paramref name="ifTrue"/> where <paramref name="condition"/> is non-zero, else <paramref name="ifFalse"/>; all broadcast. The
    /// condition is a constant.</summary>
    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse) => Ops.Where.Apply(condition, ifTrue, ifFalse);

    /// <summary>A constant 0/1 mask, 1 where this tensor is greater than <paramref name="other"/> (broadcasting). Not differentiable.</summary>
    public Tensor GreaterThan(Tensor other)
    {
        using var scope = NoGrad();
        return OpHelper.Constant<ConstantMasks.Positive>(this - other);
    }

    /// <summary>Converts to another element type (differentiable; the gradient is converted back).</summary>
    public Tensor AsType(DType dtype) => Cast.Apply(this, dtype);
}
