using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Applies its children in order; they are named "0", "1", ... as in PyTorch.</summary>
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

    /// <inheritdoc/>
    public override bool SupportsTaskBatching => Children.All(c => c.Child.SupportsTaskBatching);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var x = input;
        for (int i = 0; i < Children.Count; i++)
        {
            var child = Children[i].Child;
            if (child is Linear linear && i + 1 < Children.Count && Children[i + 1].Child is Activation { Kind: ActivationKind.Relu })
            {
                // Linear then ReLU: one fused node (the same values, one tensor and one node fewer).
                x = linear.ForwardRelu(x, ChildParameters(parameters, i));
                i++;
                continue;
            }

            x = child.Forward(x, ChildParameters(parameters, i));
        }

        return x;
    }
}
