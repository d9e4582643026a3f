using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>
/// Turns a task's examples into a set of per-example feature vectors [N, F], the input of a task representation: each
/// input through a (frozen) backbone, with the regression targets appended (a regression task is its input-output pairs,
/// not its inputs alone). Classification labels are left out, since a task's label numbers are arbitrary.
/// </summary>
public sealed class TaskFeaturizer
{
    /// <summary>Creates the featurizer.</summary>
    /// <param name="backbone">The feature extractor; null uses the flattened inputs themselves.</param>
    /// <param name="includeTargets">Whether regression targets are appended to each example's features (true).</param>
    public TaskFeaturizer(Module? backbone = null, bool includeTargets = true)
    {
        Backbone = backbone;
        IncludeTargets = includeTargets;
    }

    /// <summary>The feature extractor, or null.</summary>
    public Module? Backbone { get; }

    /// <summary>Whether regression targets are appended.</summary>
    public bool IncludeTargets { get; }

    /// <summary>The features [N, F] of <paramref name="examples"/>, outside the graph.</summary>
    /// <exception cref="ArgumentException">Pairs, which have no single input per example.</exception>
    public Tensor Featurize(Examples examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples is PairExamples)
        {
            throw new ArgumentException("TaskFeaturizer: pairs have no single input per example.", nameof(examples));
        }

        using var noGrad = Tensor.NoGrad();
        var inputs = Backbone is null ? examples.Inputs : Backbone.Forward(examples.Inputs);
        var features = inputs.Rank == 1 ? inputs.Unsqueeze(1) : inputs.Flatten(1);
        if (IncludeTargets && examples is RegressionExamples regression)
        {
            var targets = regression.Targets.Rank == 1 ? regression.Targets.Unsqueeze(1) : regression.Targets.Flatten(1);
            features = Tensor.Concat([features, targets.AsType(features.DType)], 1);
        }

        return features.Detach();
    }
}
