using System.Globalization;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Testing;

/// <summary>
/// Gradient checks as assertions: the engine's derivatives of a function are compared with central finite differences in
/// double precision, and a mismatch throws a <see cref="MetaLearnAssertionException"/> that names the input or parameter,
/// the element (as an index into its shape), the expected (finite-difference) and the actual (autodiff) value.
/// </summary>
/// <remarks>
/// A scalar output (a loss) is checked as it is, so the expected and actual values are its partial derivatives; any other
/// output is projected on a fixed random direction u (the check is of uᵀJ, as in <see cref="GradientChecker"/>). Order 2 checks the gradient of x ↦
/// Σᵢ vᵢ·∂(uᵀf)/∂xᵢ for a random v, which is right only
/// when the backward pass was itself recorded correctly (<c>createGraph</c>): what second-order MAML needs. Every input is
/// copied to float64 first; the cost is two evaluations of the function per input element and order, so keep inputs small.
/// </remarks>
public static class GradientAssert
{
    /// <summary>Asserts that the derivatives of <paramref name="function"/> with respect to one input are right.</summary>
    /// <param name="function">A deterministic function of the input.</param>
    /// <param name="input">The point of evaluation (copied to float64; never modified).</param>
    /// <param name="order">Highest derivative order checked: 1 (gradients) or 2 (and Hessian-vector products).</param>
    /// <param name="options">Finite-difference step, tolerances and seed; <see cref="GradientCheckOptions"/>'s defaults when null.</param>
    /// <exception cref="MetaLearnAssertionException">A derivative differs from its finite difference.</exception>
    public static void Correct(Func<Tensor, Tensor> function, Tensor input, int order = 1, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        Correct(x => function(x[0]), [("input", input)], order, options);
    }

    /// <summary>Asserts that the derivatives of <paramref name="function"/> with respect to each named input are right.</summary>
    /// <param name="function">A deterministic function of the inputs, which it receives in the order given.</param>
    /// <param name="inputs">Names (used in failure messages) and points of evaluation (copied to float64; never modified).</param>
    /// <param name="order">Highest derivative order checked: 1 (gradients) or 2 (and Hessian-vector products).</param>
    /// <param name="options">Finite-difference step, tolerances and seed; <see cref="GradientCheckOptions"/>'s defaults when null.</param>
    /// <exception cref="MetaLearnAssertionException">A derivative differs from its finite difference, or the function threw.</exception>
    public static void Correct(Func<IReadOnlyList<Tensor>, Tensor> function, IReadOnlyList<(string Name, Tensor Value)> inputs, int order = 1,
        GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 2);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("GradientAssert: no inputs were given.", nameof(inputs));
        }

        options ??= new GradientCheckOptions();
        var names = inputs.Select(i => i.Name).ToArray();
        var points = inputs.Select(i => i.Value.AsType(DType.Float64).ToDoubleArray()).ToArray();
        var shapes = inputs.Select(i => i.Value.Shape.ToArray()).ToArray();
        var generator = new Generator(options.Seed);

        Func<Tensor[], Tensor> current = x => function(x);
        for (int level = 1; level <= order; level++)
        {
            current = CheckLevel(current, names, points, shapes, options, generator, level, level < order);
        }
    }

    /// <summary>
    /// Asserts that the gradients of a loss with respect to every parameter of <paramref name="module"/> are right; a
    /// failure names the parameter as the module does (<c>2.weight</c>).
    /// </summary>
    /// <param name="module">The module whose parameters are the points of evaluation (copied to float64; never modified).</param>
    /// <param name="loss">
    /// The loss as a function of the parameters, in <see cref="Module.Parameters"/> order: run the module with them,
    /// <c>parameters =&gt; Losses.MeanSquaredError(module.Forward(x, parameters), y)</c>, with float64 inputs.
    /// </param>
    /// <param name="order">Highest derivative order checked: 1 (gradients) or 2 (and Hessian-vector products).</param>
    /// <param name="options">Finite-difference step, tolerances and seed; <see cref="GradientCheckOptions"/>'s defaults when null.</param>
    /// <exception cref="MetaLearnAssertionException">A derivative differs from its finite difference, or the loss threw.</exception>
    public static void ModuleGradients(Module module, Func<IReadOnlyList<Tensor>, Tensor> loss, int order = 1, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(loss);
        Correct(loss, [.. module.NamedParameters().Select(p => ("parameter '" + p.Name + "'", p.Value))], order, options);
    }

    /// <summary>Checks the first derivatives of <paramref name="f"/>; returns the function whose gradient is the next order.</summary>
    private static Func<Tensor[], Tensor> CheckLevel(Func<Tensor[], Tensor> f, string[] names, double[][] points, int[][] shapes,
        GradientCheckOptions options, Generator generator, int level, bool wantNext)
    {
        var leaves = Leaves(points, shapes);
        var probe = Run(f, leaves, names, level);
        // A scalar output is checked as it is; any other along a fixed random direction u (the derivative of uᵀf).
        bool scalar = probe.Rank == 0;
        var u = scalar ? null : Tensor.RandomNormal(generator, probe.Shape.AsSpan(), dtype: DType.Float64);
        Tensor Projected(Tensor[] x) => u is null ? f(x) : (f(x) * u).Sum();

        var projected = Run(Projected, leaves, names, level);
        Tensor?[] analytic;
        try
        {
            analytic = projected.RequiresGrad
                ? Autograd.Grad([projected], leaves, null, createGraph: wantNext, allowUnused: true)
                : new Tensor?[leaves.Length];
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new MetaLearnAssertionException($"{Order(level)}: the backward pass threw {e.GetType().Name}: {e.Message}", e);
        }

        for (int i = 0; i < points.Length; i++)
        {
            var actual = analytic[i]?.ToDoubleArray();
            for (int j = 0; j < points[i].Length; j++)
            {
                double saved = points[i][j];
                points[i][j] = saved + options.Epsilon;
                double plus = Run(Projected, Leaves(points, shapes), names, level).Item();
                points[i][j] = saved - options.Epsilon;
                double minus = Run(Projected, Leaves(points, shapes), names, level).Item();
                points[i][j] = saved;
                double expected = (plus - minus) / (2 * options.Epsilon);
                double value = actual?[j] ?? 0.0;
                double tolerance = options.AbsoluteTolerance + (options.RelativeTolerance * Math.Abs(expected));
                if (!(Math.Abs(value - expected) <= tolerance))
                {
                    throw new MetaLearnAssertionException(string.Create(CultureInfo.InvariantCulture,
                        $"{Order(level)}{(scalar ? "" : " (of the output projected on a fixed random direction)")} with respect to {names[i]} is "
                            + $"wrong at element {Index(shapes[i], j)} (flat {j} of {points[i].Length}): " +
                        $"expected {expected:G8} (central finite difference, step {options.Epsilon:G3}), actual {value:G8} "
                            + $"(autodiff{(actual is null ? ", no gradient reached this input" : "")}); " +
                        $"|difference| {Math.Abs(value - expected):G3} exceeds the tolerance {tolerance:G3} (absolute "
                            + $"{options.AbsoluteTolerance:G3} + relative {options.RelativeTolerance:G3} × |expected|)."));
                }
            }
        }

        if (!wantNext)
        {
            return f;
        }

        var directions = shapes.Select(s => Tensor.RandomNormal(generator, s, dtype: DType.Float64)).ToArray();
        return x =>
        {
            var sx = Projected(x);
            var grads = sx.RequiresGrad ? Autograd.Grad([sx], x, null, createGraph: true, allowUnused: true) : new Tensor?[x.Length];
            var total = Tensor.Scalar(0, DType.Float64);
            for (int i = 0; i < x.Length; i++)
            {
                if (grads[i] is { } g)
                {
                    total += (g * directions[i]).Sum();
                }
            }

            return total;
        };
    }

    private static Tensor Run(Func<Tensor[], Tensor> f, Tensor[] leaves, string[] names, int level)
    {
        try
        {
            return f(leaves);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new MetaLearnAssertionException($"{Order(level)}: the function threw {e.GetType().Name} on inputs {string.Join(", ", names)}: "
                + $"{e.Message}", e);
        }
    }

    private static Tensor[] Leaves(double[][] points, int[][] shapes)
    {
        var leaves = new Tensor[points.Length];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = Tensor.FromArray((double[])points[i].Clone(), shapes[i]);
            leaves[i].RequiresGrad = true;
        }

        return leaves;
    }

    private static string Order(int level) => level == 1
        ? "Gradient"
        : "Second derivative (the gradient of the gradient along a random direction, as second-order MAML uses it)";

    /// <summary>The multi-dimensional index of flat element <paramref name="flat"/> in row-major order, as "[i, j]".</summary>
    private static string Index(int[] shape, int flat)
    {
        if (shape.Length == 0)
        {
            return "[] (scalar)";
        }

        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }

        return "[" + string.Join(", ", index) + "]";
    }
}
