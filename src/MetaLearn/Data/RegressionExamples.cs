using MetaLearn.Tensors;

namespace MetaLearn.Data;

/// <summary>Regression examples: inputs [N, ...] and real-valued targets [N, ...]. Create with <see cref="Examples.Regression"/>.</summary>
public sealed class RegressionExamples : Examples
{
    internal RegressionExamples(Tensor inputs, Tensor targets)
        : base(inputs, nameof(inputs))
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Rank == 0 || targets.Shape[0] != inputs.Shape[0])
        {
            throw new ArgumentException($"Examples: targets {Shapes.Format(targets)} must have the {inputs.Shape[0]} rows of inputs {Shapes.Format(inputs)}.",
                nameof(targets));
        }

        Targets = targets;
    }

    /// <summary>The targets [N, ...].</summary>
    public Tensor Targets { get; }

    /// <inheritdoc/>
    public override Examples Concat(Examples other)
    {
        var more = SameKind<RegressionExamples>(other);
        return new RegressionExamples(Tensor.Concat([Inputs, more.Inputs], 0), Tensor.Concat([Targets, more.Targets], 0));
    }
}
