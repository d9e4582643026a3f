using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Testing;

/// <summary>
/// Regression tasks y = a·x + b on x ∈ [−1, 1], with slope a and intercept b drawn per task: the smallest task family
/// on which meta-learning visibly helps (a learner that adapts in one step beats one that starts from scratch), and fast
/// enough for a unit test.
/// </summary>
public sealed class LineTaskDistribution : ITaskSource
{
    /// <summary>Creates the family.</summary>
    /// <param name="supportSize">Examples in each task's support set.</param>
    /// <param name="querySize">Examples in each task's query set.</param>
    /// <param name="slope">Range of the slope a: [−2, 2] by default.</param>
    /// <param name="intercept">Range of the intercept b: [−1, 1] by default.</param>
    public LineTaskDistribution(int supportSize = 5, int querySize = 10, (double Low, double High)? slope = null, (double Low, double High)? intercept = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(supportSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(querySize);
        SupportSize = supportSize;
        QuerySize = querySize;
        Slope = slope ?? (-2.0, 2.0);
        Intercept = intercept ?? (-1.0, 1.0);
    }

    /// <summary>Examples in each task's support set.</summary>
    public int SupportSize { get; }

    /// <summary>Examples in each task's query set.</summary>
    public int QuerySize { get; }

    /// <summary>Range the slope is drawn from, uniformly.</summary>
    public (double Low, double High) Slope { get; }

    /// <summary>Range the intercept is drawn from, uniformly.</summary>
    public (double Low, double High) Intercept { get; }

    /// <inheritdoc/>
    public ITask Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        double a = generator.NextUniform(Slope.Low, Slope.High);
        double b = generator.NextUniform(Intercept.Low, Intercept.High);
        var name = string.Create(CultureInfo.InvariantCulture, $"line(a={a:F3}, b={b:F3})");
        return new LearningTask(Points(generator, SupportSize, a, b), Points(generator, QuerySize, a, b),
            new TaskMetadata(name, new Dictionary<string, double> { ["slope"] = a, ["intercept"] = b }));
    }

    private static RegressionExamples Points(Generator generator, int count, double a, double b)
    {
        var x = new float[count];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            double xi = generator.NextUniform(-1.0, 1.0);
            x[i] = (float)xi;
            y[i] = (float)((a * xi) + b);
        }

        return Examples.Regression(Tensor.FromArray(x, count, 1), Tensor.FromArray(y, count, 1));
    }
}
