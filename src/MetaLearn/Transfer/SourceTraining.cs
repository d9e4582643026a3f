using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer;

/// <summary>
/// Ordinary supervised pre-training of a source model: minibatch cross-entropy with Adam (or the optimizer the options create) over every example of the chosen
/// source classes, the classes numbered 0..C−1 in the order given. What feature and parameter transfer start from.
/// </summary>
public static class SourceTraining
{
    /// <summary>Trains <paramref name="model"/> in place (in training mode, so batch norm's running statistics are updated) and leaves it in
    /// evaluation mode.</summary>
    /// <param name="model">A classifier with at least <paramref name="classes"/>.Count outputs.</param>
    /// <param name="dataset">The labelled source data.</param>
    /// <param name="classes">The source classes; class <c>classes[k]</c> is label k.</param>
    /// <param name="options">Epochs, batch size, learning rate, seed and time limit.</param>
    /// <returns>The mean loss of each epoch (a partial last epoch when the time limit stopped it).</returns>
    /// <exception cref="ArgumentException">No classes.</exception>
    public static IReadOnlyList<double> Train(Module model, ILabeledDataset dataset, IReadOnlyList<int> classes, SourceTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
        {
            throw new ArgumentException("SourceTraining: no source classes.", nameof(classes));
        }

        options ??= new SourceTrainingOptions();
        var examples = classes.SelectMany((c, label) => dataset.IndicesOf(c).Select(i => (Index: i, Label: label))).ToArray();
        var optimizer = options.CreateOptimizer(model.Parameters());
        var generator = new Generator(options.Seed);
        var clock = Stopwatch.StartNew();
        var epochLosses = new List<double>();
        model.Train();
        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                generator.Shuffle<(int, int)>(examples);
                double total = 0;
                int seen = 0;
                for (int start = 0; start + 2 <= examples.Length; start += options.BatchSize)
                {
                    var batch = examples.AsSpan(start, Math.Min(options.BatchSize, examples.Length - start)).ToArray();
                    optimizer.ZeroGrad();
                    var loss = Losses.CrossEntropy(model.Forward(dataset.GetInputs([.. batch.Select(b => b.Index)])), [.. batch.Select(b => b.Label)]);
                    loss.Backward();
                    optimizer.Step();
                    total += loss.Item() * batch.Length;
                    seen += batch.Length;
                    if (options.TimeLimit is { } limit && clock.Elapsed > limit)
                    {
                        epochLosses.Add(total / seen);
                        return epochLosses;
                    }
                }

                epochLosses.Add(total / seen);
            }

            return epochLosses;
        }
        finally
        {
            model.Eval();
            optimizer.ZeroGrad();
        }
    }
}
