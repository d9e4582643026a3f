using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Applies its children in order; they are named "0", "1", ... as in PyTorch.</summary>
/// <remarks>
/// With <see cref="FuseLinearRelu"/> (on by default) a <see cref="Linear"/> directly followed by
/// <c>Activation(ActivationKind.Relu)</c> runs as one node (<see cref="Functional.LinearRelu"/>): the same values to the
/// last bit, one tensor and one graph node fewer, which is most of a small MLP's cost in MAML's inner loop. The children and
/// their parameter names are unchanged; set it to false to run every child on its own (to inspect each output, say).
/// </remarks>
public sealed class Sequential : Module
{
    /// <summary>Creates the chain.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        for (int i = 0; i < layers.Length; i++)
        {
            AddModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
        }
    }

    /// <summary>Whether a Linear followed by a ReLU activation runs as one fused node (true by default; bit-identical either way).</summary>
    public bool FuseLinearRelu { get; init; } = true;

    /// <inheritdoc/>
    internal override bool SupportsTaskBatching => Children.All(c => c.Child.SupportsTaskBatching);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var x = input;
        for (int i = 0; i < Children.Count; i++)
        {
            var child = Children[i].Child;
            if (FuseLinearRelu && child is Linear linear && i + 1 < Children.Count && Children[i + 1].Child is Activation { Kind: ActivationKind.Relu })
            {
                x = linear.ForwardRelu(x, ChildParameters(parameters, i));
                i++;
                continue;
            }

            x = child.Forward(x, ChildParameters(parameters, i));
        }

        return x;
    }
}
