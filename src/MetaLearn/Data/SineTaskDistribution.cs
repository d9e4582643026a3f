using System.Globalization;
using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>
/// The sine-wave regression family of Finn et al. (2017), "Model-Agnostic Meta-Learning": y = A·sin(x − φ) with
/// A ~ U[0.1, 5], φ ~ U[0, π], x ~ U[−5, 5]; inputs and targets are [K, 1].
/// </summary>
public sealed class SineTaskDistribution : ITaskSource
{
    /// <summary>Creates the distribution with the paper's ranges unless given.</summary>
    /// <param name="supportSize">K, the support points per task.</param>
    /// <param name="querySize">Query points per task.</param>
    /// <param name="dtype">Element type of the tensors.</param>
    /// <param name="amplitude">Amplitude range (default [0.1, 5]).</param>
    /// <param name="phase">Phase range (default [0, π]).</param>
    /// <param name="inputRange">Input range (default [−5, 5]).</param>
    public SineTaskDistribution(int supportSize, int querySize, DType dtype = DType.Float32, (double Low, double High)? amplitude = null,
        (double Low, double High)? phase = null, (double Low, double High)? inputRange = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(supportSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(querySize);
        SupportSize = supportSize;
        QuerySize = querySize;
        DType = dtype;
        Amplitude = CheckRange(amplitude ?? (0.1, 5.0), nameof(amplitude));
        Phase = CheckRange(phase ?? (0.0, Math.PI), nameof(phase));
        InputRange = CheckRange(inputRange ?? (-5.0, 5.0), nameof(inputRange));
    }

    /// <summary>K, the support points per task.</summary>
    public int SupportSize { get; }

    /// <summary>Query points per task.</summary>
    public int QuerySize { get; }

    /// <summary>Element type of the tensors.</summary>
    public DType DType { get; }

    /// <summary>Amplitude range.</summary>
    public (double Low, double High) Amplitude { get; }

    /// <summary>Phase range.</summary>
    public (double Low, double High) Phase { get; }

    /// <summary>Input range.</summary>
    public (double Low, double High) InputRange { get; }

    /// <inheritdoc/>
    public ITask Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        double amplitude = generator.NextUniform(Amplitude.Low, Amplitude.High);
        double phase = generator.NextUniform(Phase.Low, Phase.High);
        var support = Points(generator, SupportSize, amplitude, phase);
        var query = Points(generator, QuerySize, amplitude, phase);
        var name = string.Create(CultureInfo.InvariantCulture, $"sine(A={amplitude:F3}, phase={phase:F3})");
        return new LearningTask(support, query, new TaskMetadata(name, new Dictionary<string, double> { ["amplitude"] = amplitude, ["phase"] = phase }));
    }

    /// <summary>The task's curve evaluated at given inputs, for plots and dense evaluation.</summary>
    public RegressionExamples Evaluate(double amplitude, double phase, ReadOnlySpan<double> xs)
    {
        int[] shape = [xs.Length, 1];
        if (DType == DType.Float32)
        {
            // Computed in double and rounded once, as a float64 tensor converted with AsType would be, without the copies.
            Span<float> x32 = xs.Length <= 256 ? stackalloc float[xs.Length] : new float[xs.Length];
            Span<float> y32 = xs.Length <= 256 ? stackalloc float[xs.Length] : new float[xs.Length];
            for (int i = 0; i < xs.Length; i++)
            {
                x32[i] = (float)xs[i];
                y32[i] = (float)(amplitude * Math.Sin(xs[i] - phase));
            }

            return Examples.Regression(Tensor.FromSpan(x32, shape), Tensor.FromSpan(y32, shape));
        }

        var x = new double[xs.Length];
        var y = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            x[i] = xs[i];
            y[i] = amplitude * Math.Sin(xs[i] - phase);
        }

        return Examples.Regression(Tensor.FromArray(x, shape).AsType(DType), Tensor.FromArray(y, shape).AsType(DType));
    }

    private RegressionExamples Points(Generator generator, int count, double amplitude, double phase)
    {
        Span<double> xs = count <= 256 ? stackalloc double[count] : new double[count];
        for (int i = 0; i < count; i++)
        {
            xs[i] = generator.NextUniform(InputRange.Low, InputRange.High);
        }

        return Evaluate(amplitude, phase, xs);
    }

    private static (double, double) CheckRange((double Low, double High) range, string name)
    {
        if (!(range.Low <= range.High) || double.IsInfinity(range.High - range.Low))
        {
            throw new ArgumentException($"SineTaskDistribution: {name} [{range.Low}, {range.High}] is not a finite range with low <= high.", name);
        }

        return range;
    }
}
