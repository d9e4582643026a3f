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
            x = Children[i].Child.Forward(x, ChildParameters(parameters, i));
        }

        return x;
    }
}
