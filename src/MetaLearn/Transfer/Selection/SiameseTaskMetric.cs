using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Transfer.Selection;

/// <summary>
/// A learned task distance: a Siamese network (Bromley et al. 1993; Hadsell, Chopra &amp; LeCun 2006) whose two branches are
/// one <see cref="SetEncoder"/> of a task's example features, trained with the contrastive loss on pairs of tasks labelled
/// similar or not (same group, or large measured transfer gain), so that the distance between two tasks' embeddings
/// says how well one transfers to the other.
/// </summary>
/// <remarks>Parameters: "encoder.*". The distance is the Euclidean distance of the two set embeddings.</remarks>
public sealed class SiameseTaskMetric : Module, ITaskDistance
{
    /// <summary>Creates the metric around a set encoder.</summary>
    public SiameseTaskMetric(SetEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoder = AddModule("encoder", encoder);
    }

    /// <summary>Creates the metric with a new set encoder F → H → H → E.</summary>
    /// <param name="features">F, the width of a task's example features.</param>
    /// <param name="hidden">H.</param>
    /// <param name="embedding">E.</param>
    /// <param name="generator">The random source of the initialization.</param>
    /// <param name="dtype">Element type of the parameters.</param>
    public SiameseTaskMetric(int features, int hidden, int embedding, Generator generator, DType dtype = DType.Float32)
        : this(new SetEncoder(features, hidden, embedding, generator, dtype))
    {
    }

    /// <summary>The shared branch.</summary>
    public SetEncoder Encoder { get; }

    /// <summary>The embedding [E] of a task's example features [N, F] (the module's forward pass).</summary>
    public override Tensor Forward(Tensor input, ParameterView parameters) => Encoder.Forward(input, ChildParameters(parameters, 0));

    /// <inheritdoc/>
    public double Distance(Tensor first, Tensor second)
    {
        TaskSets.CheckPair(first, second);
        using var noGrad = Tensor.NoGrad();
        return Distances.Euclidean(Forward(first.AsType(DType)), Forward(second.AsType(DType))).Item();
    }

    /// <summary>The element type of the metric's parameters.</summary>
    public DType DType => Parameters()[0].DType;

    /// <summary>
    /// The mean contrastive loss of <paramref name="pairs"/> with <paramref name="weights"/> in place of the metric's own:
    /// s·d² + (1 − s)·max(m − d, 0)² with d the embeddings' distance and s the pair's similarity.
    /// </summary>
    /// <exception cref="ArgumentException">No pairs, or the weights do not match the parameters.</exception>
    public Tensor Loss(IReadOnlyList<TaskPair> pairs, IReadOnlyList<Tensor> weights, double margin = 1)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(weights);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("SiameseTaskMetric: no pairs.", nameof(pairs));
        }

        var first = new Tensor[pairs.Count];
        var second = new Tensor[pairs.Count];
        var similar = new double[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i] ?? throw new ArgumentException($"SiameseTaskMetric: pair {i} is null.", nameof(pairs));
            if (!(pair.Similarity >= 0 && pair.Similarity <= 1))
            {
                throw new ArgumentException($"SiameseTaskMetric: pair {i} has similarity {pair.Similarity}; it must be in [0, 1].", nameof(pairs));
            }

            TaskSets.CheckPair(pair.First, pair.Second);
            first[i] = Forward(pair.First.AsType(DType), weights);
            second[i] = Forward(pair.Second.AsType(DType), weights);
            similar[i] = pair.Similarity;
        }

        return Losses.Contrastive(Tensor.Stack(first), Tensor.Stack(second), Tensor.FromArray(similar).AsType(DType), margin);
    }

    /// <summary>Trains the metric in place with Adam (or the optimizer the options create) on <paramref name="pairs"/>, in shuffled minibatches.</summary>
    /// <returns>The mean loss of each epoch.</returns>
    /// <exception cref="ArgumentException">No pairs.</exception>
    public IReadOnlyList<double> Train(IReadOnlyList<TaskPair> pairs, TaskMetricTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("SiameseTaskMetric.Train: no pairs.", nameof(pairs));
        }

        options ??= new TaskMetricTrainingOptions();
        var parameters = Parameters();
        var optimizer = options.CreateOptimizer(parameters);
        var generator = new Generator(options.Seed);
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        var epochLosses = new List<double>(options.Epochs);
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            generator.Shuffle<int>(order);
            double total = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                var batch = order.Skip(start).Take(options.BatchSize).Select(k => pairs[k]).ToArray();
                var loss = Loss(batch, parameters, options.Margin);
                optimizer.Step(Autograd.Grad([loss], parameters, null, createGraph: false, allowUnused: true));
                total += loss.Item() * batch.Length;
            }

            epochLosses.Add(total / pairs.Count);
        }

        return epochLosses;
    }
}
