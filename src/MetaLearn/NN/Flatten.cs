using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Merges the axes from <see cref="StartAxis"/> on into one: [N, C, H, W] → [N, C·H·W] with the default start axis 1.</summary>
/// <param name="startAxis">The first axis merged (negative counts from the end).</param>
public sealed class Flatten(int startAxis = 1) : Module
{
    /// <summary>The first axis merged.</summary>
    public int StartAxis { get; } = startAxis;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(StartAxis);
    }
}
