using System.Globalization;

namespace MetaLearn.Tensors.Autodiff;

/// <summary>
/// Compares the engine's derivatives of a function with central finite differences in double precision, to any order.
/// </summary>
/// <remarks>
/// Order 1 checks the vector-Jacobian product uᵀJ for a random u against finite differences of uᵀf(x). Order k+1 applies
/// the same check to the scalar function x ↦ Σᵢ vᵢ·∂(uᵀf)/∂xᵢ, whose derivative the engine can only get right if the
/// backward pass of order k was itself recorded correctly (createGraph), as HIPS/autograd's <c>check_grads</c> does.
/// </remarks>
public static class GradientChecker
{
    /// <summary>Checks derivatives of <paramref name="function"/> up to <paramref name="order"/> at <paramref name="inputs"/>.</summary>
    /// <param name="function">The function; it must be deterministic and use only its arguments as variable inputs.</param>
    /// <param name="inputs">Float64 points of evaluation (copied; they are never modified).</param>
    /// <param name="order">Highest derivative order to check (1 or more).</param>
    /// <param name="options">Step and tolerances; defaults when null.</param>
    public static GradientCheckResult Check(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, int order = 2, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        options ??= new GradientCheckOptions();
        if (inputs.Count == 0)
        {
            throw new ArgumentException("GradientChecker: no inputs were given.", nameof(inputs));
        }

        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].DType != DType.Float64)
            {
                throw new ArgumentException($"GradientChecker: input {i} is {inputs[i].DType}; finite differences need Float64 inputs.", nameof(inputs));
            }
        }

        var generator = new Generator(options.Seed);
        var state = new CheckState();
        Func<Tensor[], Tensor> current = function;
        for (int level = 1; level <= order; level++)
        {
            var projection = CheckOne(current, inputs, options, generator, level, level < order, state);
            if (state.Failure is not null || projection is null)
            {
                break;
            }

            current = projection;
        }

        return new GradientCheckResult(state.Failure is null, state.MaxAbsolute, state.MaxRelative, state.Failure);
    }

    /// <summary>Like <see cref="Check"/>, but throws <see cref="InvalidOperationException"/> describing the first mismatch.</summary>
    public static void Verify(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, int order = 2, GradientCheckOptions? options = null)
    {
        var result = Check(function, inputs, order, options);
        if (!result.Passed)
        {
            throw new InvalidOperationException(result.Failure);
        }
    }

    /// <summary>Checks first derivatives of the projected function; returns the next-order function when asked.</summary>
    private static Func<Tensor[], Tensor>? CheckOne(Func<Tensor[], Tensor> f, IReadOnlyList<Tensor> points, GradientCheckOptions options,
        Generator generator, int level, bool wantNext, CheckState state)
    {
        var leaves = Leaves(points);
        var probe = f(leaves);
        var u = Tensor.RandomNormal(generator, probe.ShapeArray, dtype: DType.Float64);
        Tensor Projected(Tensor[] x) => (f(x) * u).Sum();

        var s = Projected(leaves);
        var analytic = s.RequiresGrad
            ? Autograd.Grad([s], leaves, null, createGraph: wantNext, allowUnused: true)
            : new Tensor?[leaves.Length];

        for (int i = 0; i < leaves.Length; i++)
        {
            var x = leaves[i].F64;
            for (int j = 0; j < x.Length; j++)
            {
                double saved = x[j];
                x[j] = saved + options.Epsilon;
                double plus = Evaluate(Projected, leaves);
                x[j] = saved - options.Epsilon;
                double minus = Evaluate(Projected, leaves);
                x[j] = saved;
                double numeric = (plus - minus) / (2 * options.Epsilon);
                double exact = analytic[i]?.GetFlat(j) ?? 0.0;
                double error = Math.Abs(exact - numeric);
                state.MaxAbsolute = Math.Max(state.MaxAbsolute, error);
                state.MaxRelative = Math.Max(state.MaxRelative, error / Math.Max(Math.Abs(numeric), 1e-12));
                if (!(error <= options.AbsoluteTolerance + (options.RelativeTolerance * Math.Abs(numeric))))
                {
                    state.Failure = string.Create(CultureInfo.InvariantCulture,
                        $"Order {level} derivative mismatch at input {i}, element {j}: analytic {exact:G10}, numeric {numeric:G10} (|error| {error:G3}).");
                    return null;
                }
            }
        }

        if (!wantNext)
        {
            return null;
        }

        var directions = new Tensor[leaves.Length];
        for (int i = 0; i < leaves.Length; i++)
        {
            directions[i] = Tensor.RandomNormal(generator, leaves[i].ShapeArray, dtype: DType.Float64);
        }

        return x =>
        {
            var sx = Projected(x);
            var grads = sx.RequiresGrad ? Autograd.Grad([sx], x, null, createGraph: true, allowUnused: true) : new Tensor?[x.Length];
            Tensor total = Tensor.Scalar(0, DType.Float64);
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

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] leaves) => f(leaves).Item();

    private static Tensor[] Leaves(IReadOnlyList<Tensor> points)
    {
        var leaves = new Tensor[points.Count];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = points[i].Clone();
            leaves[i].RequiresGrad = true;
        }

        return leaves;
    }

    private sealed class CheckState
    {
        public double MaxAbsolute { get; set; }

        public double MaxRelative { get; set; }

        public string? Failure { get; set; }
    }
}
