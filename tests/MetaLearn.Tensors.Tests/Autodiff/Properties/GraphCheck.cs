using System.Globalization;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;
using Xunit.Sdk;

namespace MetaLearn.Tensors.Tests.Autodiff.Properties;

/// <summary>
/// The property of one random program: <c>Grad(createGraph: false)</c>, <c>Grad(createGraph: true)</c>, <c>Grad</c> of the
/// unreduced outputs, <c>Backward()</c> and <c>Backward(createGraph: true)</c> agree; the gradient (also with respect to an
/// intermediate value) matches central differences along a random direction; and the Hessian-vector product, with the outer
/// pass recorded or not, matches central differences of the gradient.
/// </summary>
internal static class GraphCheck
{
    private const double Step = 1e-5;

    /// <summary>Where f is sampled along a direction: −h, −h/2, 0, h/2, h.</summary>
    private static readonly double[] Points = [-Step, -Step / 2, 0, Step / 2, Step];

    public static void Verify(GraphProgram program, bool pooled, CheckTally tally)
    {
        using var scope = pooled ? AllocationScope.Begin() : null;
        var leaves = GraphInterpreter.Leaves(program);
        var run = GraphInterpreter.Run(program, leaves);
        int target = GraphInterpreter.TargetIndex(program, run);
        Tensor[] inputs = target >= 0 ? [.. leaves, run.Values[target]] : leaves;
        string[] names = [.. Enumerable.Range(0, leaves.Length).Select(i => run.Names[i]), .. target >= 0 ? new[] { run.Names[target] } : []];
        var y = run.Output();

        var plain = Arrays(Autograd.Grad([y], inputs, null, createGraph: false, allowUnused: true), inputs);
        Same("Grad(createGraph: true)", plain, Arrays(Autograd.Grad([y], inputs, null, createGraph: true, allowUnused: true), inputs), names);
        var sinks = run.Sinks.Select(s => run.Values[s]).ToArray();
        var seeds = sinks.Select(s => s.OnesLike()).ToArray();
        Same("Grad of the unreduced sinks", plain, Arrays(Autograd.Grad(sinks, inputs, seeds, createGraph: false, allowUnused: true), inputs), names);
        foreach (bool createGraph in new[] { false, true })
        {
            var copies = leaves.Select(Copy).ToArray();
            GraphInterpreter.Run(program, copies).Output().Backward(createGraph: createGraph);
            Same($"Backward(createGraph: {createGraph})", plain[..leaves.Length], Arrays(copies.Select(c => c.Grad).ToArray(), copies), names);
        }

        var generator = new Generator((ulong)program.DataSeed + 7);
        var directions = leaves.Select(l => Tensor.RandomNormal(generator, l.Shape.AsSpan(), dtype: DType.Float64)).ToArray();
        var constants = leaves.Select(l => l.Detach()).ToArray();
        Directional("the gradient", plain, directions, t => Evaluate(program, Shifted(constants, directions, t)), tally);
        if (target >= 0)
        {
            int cut = target - leaves.Length;
            var value = run.Values[target].Detach();
            var direction = Tensor.RandomNormal(generator, value.Shape.AsSpan(), dtype: DType.Float64);
            Directional($"the gradient with respect to {run.Names[target]}", plain[leaves.Length..], [direction], t => Evaluate(program, constants, cut, value + (direction * t)), tally);
        }

        HessianVectorProduct(program, leaves, y, directions, names, tally);
    }

    /// <summary>H·v by grad of ⟨grad(y), v⟩ (outer pass plain and recorded) against central differences of the gradient along v.</summary>
    private static void HessianVectorProduct(GraphProgram program, Tensor[] leaves, Tensor y, Tensor[] v, string[] names, CheckTally tally)
    {
        var gradient = Autograd.Grad([y], leaves, null, createGraph: true, allowUnused: true);
        Tensor? inner = null;
        for (int i = 0; i < leaves.Length; i++)
        {
            if (gradient[i] is { } g)
            {
                var term = (g * v[i]).Sum();
                inner = inner is null ? term : inner + term;
            }
        }

        double[][] product;
        if (inner is not null && inner.RequiresGrad)
        {
            product = Arrays(Autograd.Grad([inner], leaves, null, createGraph: false, allowUnused: true), leaves);
            Same("the Hessian-vector product with a recorded outer pass", product, Arrays(Autograd.Grad([inner], leaves, null, createGraph: true, allowUnused: true), leaves), names);
        }
        else
        {
            product = Arrays(new Tensor?[leaves.Length], leaves);
        }

        var constants = leaves.Select(l => l.Detach()).ToArray();
        double[] Gradient(double t)
        {
            var shifted = Shifted(constants, v, t).Select(Copy).ToArray();
            var output = GraphInterpreter.Run(program, shifted).Output();
            return [.. Arrays(Autograd.Grad([output], shifted, null, createGraph: false, allowUnused: true), shifted).SelectMany(a => a)];
        }

        double[] analytic = [.. product.SelectMany(a => a)];
        double[][] samples = [.. Points.Select(Gradient)];
        double gradientScale = samples[2].Select(Math.Abs).DefaultIfEmpty(0).Max();
        double scale = analytic.Select(Math.Abs).DefaultIfEmpty(0).Max();
        double tolerance = (1e-6 * (scale + 1)) + (1e-8 * gradientScale);
        var differences = new double[analytic.Length];
        bool smooth = true;
        for (int e = 0; e < analytic.Length && smooth; e++)
        {
            smooth = Smooth([.. samples.Select(s => s[e])], tolerance, out differences[e]);
        }

        tally.Directional++;
        if (!smooth)
        {
            tally.NonSmooth++;
            return;
        }

        for (int e = 0; e < analytic.Length; e++)
        {
            if (!(Math.Abs(differences[e] - analytic[e]) <= tolerance))
            {
                throw new XunitException(Text($"Hessian-vector product, element {e} of the flattened leaves: the engine gives {analytic[e]:G12}, central differences of the gradient give {differences[e]:G12}"));
            }
        }
    }

    /// <summary>Compares ⟨gradient, direction⟩ with central differences of f along the direction, Richardson-extrapolated.</summary>
    private static void Directional(string what, double[][] gradient, Tensor[] directions, Func<double, double> f, CheckTally tally)
    {
        double analytic = 0, scale = 0;
        for (int i = 0; i < directions.Length; i++)
        {
            var d = directions[i].ToDoubleArray();
            for (int j = 0; j < d.Length; j++)
            {
                analytic += gradient[i][j] * d[j];
                scale += Math.Abs(gradient[i][j] * d[j]);
            }
        }

        double[] samples = [.. Points.Select(f)];
        double tolerance = (1e-6 * (scale + Math.Abs(analytic) + 1)) + (1e-8 * Math.Abs(samples[2]));
        tally.Directional++;
        if (!Smooth(samples, tolerance, out double extrapolated))
        {
            tally.NonSmooth++;
            return;
        }

        if (!(Math.Abs(extrapolated - analytic) <= tolerance))
        {
            throw new XunitException(Text($"{what} along a random direction: the engine gives {analytic:G12}, central differences give {extrapolated:G12}"));
        }
    }

    /// <summary>
    /// The derivative at 0 from samples of f at <see cref="Points"/> (central differences with steps h and h/2, Richardson-
    /// extrapolated), or false when f is not smooth there: the two central differences disagree (a kink within a step), or
    /// the second difference shrinks like h rather than h² (a kink at the point itself, where central differences alone
    /// would return the mean of the one-sided slopes).
    /// </summary>
    private static bool Smooth(double[] f, double tolerance, out double derivative)
    {
        double coarse = (f[4] - f[0]) / (2 * Step), fine = (f[3] - f[1]) / Step;
        double curvature = f[4] - (2 * f[2]) + f[0], fineCurvature = f[3] - (2 * f[2]) + f[1];
        derivative = ((4 * fine) - coarse) / 3;
        bool kinkWithinStep = Math.Abs(coarse - fine) > 10 * tolerance;
        bool kinkAtPoint = Math.Abs(curvature) > Step * tolerance && Math.Abs(fineCurvature) > 0.35 * Math.Abs(curvature);
        return !kinkWithinStep && !kinkAtPoint;
    }

    /// <summary>Elementwise agreement of two paths to the same gradients (they may round differently).</summary>
    private static void Same(string path, double[][] expected, double[][] actual, string[] names)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = expected[i].Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (int j = 0; j < expected[i].Length; j++)
            {
                if (!(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-9 * (1 + scale)))
                {
                    throw new XunitException(Text($"{path} gives d y/d {names[i]}[{j}] = {actual[i][j]:G12}; Grad(createGraph: false) gives {expected[i][j]:G12}"));
                }
            }
        }
    }

    private static double Evaluate(GraphProgram program, Tensor[] leaves, int cut = -1, Tensor? cutValue = null)
    {
        using var scope = Tensor.NoGrad();
        return GraphInterpreter.Run(program, leaves, cut, cutValue).Output().Item();
    }

    private static Tensor[] Shifted(Tensor[] points, Tensor[] directions, double t)
        => [.. points.Select((p, i) => p + (directions[i] * t))];

    private static Tensor Copy(Tensor t)
    {
        var copy = t.Detach().Clone();
        copy.RequiresGrad = true;
        return copy;
    }

    /// <summary>Each gradient as an array, zeros where the input is unused.</summary>
    private static double[][] Arrays(Tensor?[] gradients, Tensor[] inputs)
        => [.. gradients.Select((g, i) => g?.ToDoubleArray() ?? new double[inputs[i].Count])];

    private static string Text(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
