using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Evaluation;

/// <summary>
/// The baseline that learns nothing, as a learner: a query's score for a class is minus its squared Euclidean distance
/// over raw pixels to the class's nearest support image, so a query takes the label of the support image nearest to it
/// (the lowest class on a tie).
/// </summary>
/// <remarks>
/// Lake et al. (2015) report about 21.7% for a pixel nearest neighbour on their 20 within-alphabet 20-way runs, against
/// 5% for chance; a learner should beat it by far.
/// </remarks>
public sealed class PixelNearestNeighbour : ILearner
{
    private ClassificationExamples? _support;

    /// <summary>Always 0: nothing is adapted.</summary>
    public int StepsTaken => 0;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The examples are not classification examples, or there are none.</exception>
    public void Condition(Examples support)
    {
        var examples = support as ClassificationExamples
            ?? throw new ArgumentException($"PixelNearestNeighbour: needs classification examples, got {support?.GetType().Name ?? "null"}.", nameof(support));
        if (examples.Count == 0)
        {
            throw new ArgumentException("PixelNearestNeighbour: the support set is empty.", nameof(support));
        }

        _support = examples;
    }

    /// <inheritdoc/>
    public void Adapt(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _ = _support ?? throw new InvalidOperationException("Adapt: call Condition with the task's support set first.");
    }

    /// <summary>Class scores [M, classes] (float64) of the query images [M, ...]: −min over the class's support images of ‖x − s‖².</summary>
    /// <exception cref="ArgumentException">The query images are not the size of the support images.</exception>
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var examples = _support ?? throw new InvalidOperationException("Predict: call Condition with the task's support set first.");
        var supportImages = examples.Inputs;
        int supports = supportImages.Shape[0];
        int queries = inputs.Rank == 0 ? 0 : inputs.Shape[0];
        int size = supportImages.Count / supports;
        if (queries == 0 || inputs.Count / queries != size)
        {
            throw new ArgumentException($"PixelNearestNeighbour: query images {Shapes.Format(inputs.Shape)} are not the size of the "
                + $"support images {Shapes.Format(supportImages.Shape)}.", nameof(inputs));
        }

        var support = supportImages.ToArray();
        var query = inputs.ToArray();
        int classes = examples.ClassCount;
        var scores = new double[queries * classes];
        Array.Fill(scores, double.NegativeInfinity);
        for (int q = 0; q < queries; q++)
        {
            var x = query.AsSpan(q * size, size);
            for (int s = 0; s < supports; s++)
            {
                var y = support.AsSpan(s * size, size);
                double distance = 0;
                for (int i = 0; i < size; i++)
                {
                    double d = x[i] - y[i];
                    distance += d * d;
                }

                ref double score = ref scores[(q * classes) + examples.Labels[s]];
                score = Math.Max(score, -distance);
            }
        }

        return Tensor.FromArray(scores, queries, classes);
    }
}
